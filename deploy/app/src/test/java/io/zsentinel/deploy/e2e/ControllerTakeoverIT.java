package io.zsentinel.deploy.e2e;

import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.agentcommands.TakeSnapshot;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import io.zsentinel.deploy.agent.Agent;
import io.zsentinel.deploy.agent.AgentConfig;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.config.ControllerLeaseConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two controllers on one store and broker (issue 12, controller HA): the first takes the lease and runs, the second
 * is a standby that says who is active; the first stops without giving the lease up (as if killed), the second takes
 * over once the lease lapses, at a higher epoch, and orders the agent; commands of the old epoch are refused by the
 * agent, also after the agent's restart. The takeover time is logged ("takeover:").
 */
class ControllerTakeoverIT {
    private static final Logger log = LoggerFactory.getLogger(ControllerTakeoverIT.class);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(CoreMessages.types());

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() {
        Collections.reverse(open);
        Stack.closeAll(open);
    }

    @Test
    void theStandbyTakesOverALapsedLeaseAtAHigherEpochAndTheOldEpochIsRefused() throws Exception {
        ZfsTestPools pools = track(ZfsTestPools.open(dir.resolve("pools"), "zha"));
        PoolName pool = pools.createPool("p", 64L << 20);
        ZfsDriver zfs = ZfsDriver.detect(pools.runner(), pool);
        DatasetName vm1 = DatasetName.of(pool.value()).child("vm1");
        zfs.createDataset(vm1);
        Topics topics = KafkaTestBroker.freshTopics("zha", 1);
        KafkaConfig kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(),
                topics.prefix().substring(0, topics.prefix().length() - 1));
        EmbeddedPostgresStore postgres = track(EmbeddedPostgresStore.start(dir.resolve("postgres")));
        ControllerApp first = track(ControllerApp.start(config(kafka, "ctl-a"), postgres.dataSource(), Clock.systemUTC()));
        ControllerApp second = track(ControllerApp.start(config(kafka, "ctl-b"), postgres.dataSource(), Clock.systemUTC()));
        assertTrue(first.active());
        assertEquals(1, first.lease().epoch());
        assertFalse(second.active(), "the lease is held: the second controller is a standby");

        HttpResponse<String> standby = get(second, "/health");
        assertEquals(503, standby.statusCode(), "a load balancer sends nothing to a standby");
        assertTrue(standby.body().contains("\"STANDBY\"") && standby.body().contains("ctl-a is active at epoch 1"),
                standby.body());
        assertTrue(get(first, "/health").body().contains("active at epoch 1 (ctl-a)"), get(first, "/health").body());

        ServerId server = new ServerId("zha-" + pool.value());
        Path state = dir.resolve("agent-state");
        MessagePublisher publisher = track(MessagePublisher.create(KafkaTestBroker.bootstrapServers()));
        Agent agent = new Agent(agentConfig(server, kafka, pool, state), zfs, publisher, Clock.systemUTC()).start();
        open.add(agent);

        // the active controller orders the agent (a checkpoint): epoch 1 reaches it
        checkpoint(first, vm1);
        await().atMost(Duration.ofSeconds(120)).until(() -> snapshots(vm1).contains("@zsentinel_checkpoint_"));
        assertEquals("1", Files.readString(state.resolve("controller-epoch-" + kafka.cell() + "-" + server.value()))
                .strip(), "the epoch is kept in the agent's state directory");

        // the first controller dies without giving the lease up
        Instant killed = Instant.now();
        first.abandon();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(second::active);
        Instant active = Instant.now();
        assertEquals(2, second.lease().epoch(), "a takeover raises the epoch");
        assertTrue(get(second, "/health").body().contains("active at epoch 2 (ctl-b)"));
        int before = count(snapshots(vm1), "@zsentinel_checkpoint_");
        checkpoint(second, vm1);
        await().atMost(Duration.ofSeconds(120)).until(() -> count(snapshots(vm1), "@zsentinel_checkpoint_") > before);
        Instant dispatched = Instant.now();
        log.info("takeover: lease ttl {} s, renew {} s; killed → second active {} ms, → its first command carried out"
                        + " {} ms", ControllerLeaseConfig.DEFAULT_TTL_SECONDS, ControllerLeaseConfig.DEFAULT_RENEW_SECONDS,
                Duration.between(killed, active).toMillis(), Duration.between(killed, dispatched).toMillis());
        assertTrue(Duration.between(killed, active).compareTo(Duration.ofSeconds(ControllerLeaseConfig.DEFAULT_TTL_SECONDS
                + 2L * ControllerLeaseConfig.DEFAULT_RENEW_SECONDS + 5)) < 0, "takeover within ttl + renew + start");

        // a command of the deposed controller's epoch is refused; the next one of epoch 2 is carried out
        assertOldEpochRefused(publisher, topics, server, vm1, "deposed");

        // and after the agent's restart, which reads epoch 2 back from its state directory
        agent.close();
        open.remove(agent);
        Agent restarted = new Agent(agentConfig(server, kafka, pool, state), zfs, publisher, Clock.systemUTC()).start();
        open.add(restarted);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            send(publisher, topics, new TakeSnapshot(UUID.randomUUID(), server, 2, vm1.snapshot("restarted")));
            return snapshots(vm1).contains("@restarted");
        }); // the restarted agent reads its commands (it starts at the end of the topic)
        assertOldEpochRefused(publisher, topics, server, vm1, "deposed-after-restart");
    }

    /** An epoch-1 order then an epoch-2 marker on the server's partition: the marker appears, the first never does. */
    private static void assertOldEpochRefused(MessagePublisher publisher, Topics topics, ServerId server, DatasetName vm1,
                                              String name) throws Exception {
        send(publisher, topics, new TakeSnapshot(UUID.randomUUID(), server, 1, vm1.snapshot(name)));
        send(publisher, topics, new TakeSnapshot(UUID.randomUUID(), server, 2, vm1.snapshot(name + "-marker")));
        await().atMost(Duration.ofSeconds(60)).until(() -> snapshots(vm1).contains("@" + name + "-marker"));
        assertFalse(snapshots(vm1).contains("@" + name + "\n"), "a command of epoch 1 acted after epoch 2:\n"
                + snapshots(vm1));
    }

    private static void send(MessagePublisher publisher, Topics topics, TakeSnapshot take) {
        publisher.publishAndWait(topics.agentCommands(), take.server().value(),
                CODEC.encode(CODEC.wrap(take, "controller", Instant.now())));
    }

    private static ControllerConfig config(KafkaConfig kafka, String holder) {
        return new ControllerConfig(kafka, null, new ControllerConfig.HttpConfig("127.0.0.1", 0), null, null, null,
                null, null, new ControllerLeaseConfig(null, null, holder));
    }

    private static AgentConfig agentConfig(ServerId server, KafkaConfig kafka, PoolName pool, Path state) {
        return new AgentConfig(server, kafka, List.of(pool), 1, 1, null, null, null, null, null, null, null, null, null,
                state.toString());
    }

    /** Orders a checkpoint through {@code controller}'s REST API, once it knows the dataset. */
    private static void checkpoint(ControllerApp controller, DatasetName vm1) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(controller) + "/api/datasets/"
                            + Stack.encoded(vm1.value()) + "/checkpoint"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"operator\":\"ha-test\",\"reason\":\"takeover\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 202;
        });
    }

    private static HttpResponse<String> get(ControllerApp controller, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(controller) + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String url(ControllerApp controller) {
        return "http://127.0.0.1:" + controller.httpPort();
    }

    private static String snapshots(DatasetName dataset) throws Exception {
        return Stack.run("zfs", "list", "-H", "-t", "snapshot", "-o", "name", "-r", dataset.value()) + "\n";
    }

    private static int count(String text, String part) {
        return (int) text.lines().filter(l -> l.contains(part)).count();
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }
}
