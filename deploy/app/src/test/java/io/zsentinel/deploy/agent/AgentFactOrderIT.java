package io.zsentinel.deploy.agent;

import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.messages.agentcommands.TakeSnapshot;
import io.zsentinel.core.messages.facts.SnapshotCreated;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.CommandRunner;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import io.zsentinel.deploy.agent.AgentConfig;
import io.zsentinel.core.config.KafkaConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's facts about a snapshot it took come before any inventory report that shows it: the fact says
 * who took it (a zsentinel command), a report alone says "found". Issue 8 found the e2e test of a
 * TakeSnapshot command failing under load: the scan on the agent's other thread listed the new snapshot
 * and reported it between {@code zfs snapshot} and the publish of {@code SnapshotCreated}. Here that
 * interleaving is forced on a real pool: {@code zfs snapshot} returns only once a scan has listed it and
 * the next scan has begun.
 */
class AgentFactOrderIT {
    @TempDir
    Path dir;
    private ZfsTestPools pools;
    private Agent agent;
    private MessagePublisher publisher;

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (pools != null) {
            pools.close();
        }
    }

    @Test
    void aSnapshotTakenOnCommandIsReportedAsTakenBeforeAScanReportsIt() {
        pools = ZfsTestPools.open(dir, "zorder");
        PoolName pool = pools.createPool("p", 128L << 20);
        DatasetName vm1 = DatasetName.of(pool.value()).child("vm1");
        InterleavingRunner runner = new InterleavingRunner(pools.runner());
        ZfsDriver zfs = new ZfsDriver(runner, ZfsDriver.detect(pools.runner(), pool).features());
        zfs.createDataset(vm1);
        Topics topics = KafkaTestBroker.freshTopics("agent-fact-order", 1);
        KafkaConfig kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(),
                topics.prefix().substring(0, topics.prefix().length() - 1));
        ServerId server = new ServerId("zorder-" + pool.value());
        publisher = MessagePublisher.create(KafkaTestBroker.bootstrapServers());
        agent = new Agent(new AgentConfig(server, kafka, List.of(pool), 1, 1, null, null), zfs, publisher,
                Clock.systemUTC()).start();

        SnapshotName ordered = vm1.snapshot("ordered-1");
        EnvelopeCodec codec = new EnvelopeCodec(CoreMessages.types());
        TakeSnapshot take = new TakeSnapshot(UUID.randomUUID(), server, 1, ordered);
        // the agent starts at the end of its command topic: send until it took the snapshot (a repeat is refused)
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!runner.snapshotTaken.get()) {
                publisher.publishAndWait(topics.agentCommands(), server.value(),
                        codec.encode(codec.wrap(take, "controller", Instant.now())));
            }
            return facts(topics, codec).stream().anyMatch(m -> m instanceof SnapshotCreated c
                    && c.snapshot().name().equals(ordered));
        });
        assertTrue(runner.interleaved.get(), "a scan listed the snapshot before the command went on");

        List<Message> facts = facts(topics, codec);
        int created = indexOf(facts, m -> m instanceof SnapshotCreated c && c.snapshot().name().equals(ordered));
        int reported = indexOf(facts, m -> m instanceof SnapshotInventoryReported r
                && r.snapshots().stream().anyMatch(s -> s.name().equals(ordered)));
        assertTrue(reported == -1 || created < reported, "SnapshotCreated at " + created
                + " but an inventory with the snapshot already at " + reported + ": " + facts);
    }

    private static List<Message> facts(Topics topics, EnvelopeCodec codec) {
        return KafkaTestBroker.readFromStart(KafkaTestBroker.bootstrapServers(), topics.agentEvents(), 10_000,
                Duration.ofSeconds(2)).stream().map(ConsumerRecord::value).map(v -> codec.decode(v).payload()).toList();
    }

    private static int indexOf(List<Message> facts, java.util.function.Predicate<Message> which) {
        for (int i = 0; i < facts.size(); i++) {
            if (which.test(facts.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Passes commands to zfs; after {@code zfs snapshot} it returns only when a recursive listing (the scan's)
     * of snapshots that began after it has ended and another command (the next scan) has begun, so that scan's reports are out.
     */
    private static final class InterleavingRunner implements CommandRunner {
        private final CommandRunner zfs;
        final AtomicBoolean snapshotTaken = new AtomicBoolean();
        final AtomicBoolean interleaved = new AtomicBoolean();
        private final AtomicReference<CountDownLatch> listedThenNext = new AtomicReference<>();
        private volatile boolean listed;

        InterleavingRunner(CommandRunner zfs) {
            this.zfs = zfs;
        }

        @Override
        public CommandResult run(List<String> command, Duration timeout) {
            CountDownLatch waiting = listedThenNext.get();
            if (waiting != null && listed) {
                waiting.countDown(); // a command after the listing: the scan that listed it is done
            }
            boolean snapshot = command.size() > 1 && command.get(1).equals("snapshot");
            boolean recursiveListing = command.contains("-r") && String.join(" ", command).contains("guid"); // snapshots
            CountDownLatch mine = snapshot && snapshotTaken.compareAndSet(false, true) ? new CountDownLatch(1) : null;
            boolean listingAfterSnapshot = recursiveListing && waiting != null;
            CommandResult result = zfs.run(command, timeout);
            if (listingAfterSnapshot) {
                listed = true;
            }
            if (mine != null) {
                listedThenNext.set(mine);
                try {
                    interleaved.set(mine.await(60, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return result;
        }

        @Override
        public long invocations() {
            return zfs.invocations();
        }
    }
}
