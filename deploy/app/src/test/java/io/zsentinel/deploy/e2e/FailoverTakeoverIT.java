package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.config.ConfigFiles;
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
import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.CommandRunner;
import io.zsentinel.core.zfs.DatasetRole;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import io.zsentinel.deploy.agent.Agent;
import io.zsentinel.deploy.agent.AgentConfig;
import io.zsentinel.deploy.agent.PeerAddress;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12's controller-HA case: two controllers on one store and broker, a failover running on the first (the
 * primary's agent died); the first dies (stops without giving its lease up) after the failed primary was fenced and
 * the promotion ordered, before the standby's agent carried it out (held at its first {@code zfs set zsentinel:generation=2} until the first is
 * gone). The second takes over once the lease lapses, rebuilds the failover from the store and finishes it (promoted,
 * promote hook run, switched, generation 2); a command of the dead controller's epoch is refused by the agent.
 */
class FailoverTakeoverIT {
    private static final Logger log = LoggerFactory.getLogger(FailoverTakeoverIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(CoreMessages.types());

    @TempDir
    Path dir;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private ZfsTestPools pools;

    @AfterEach
    void stop() {
        Stack.closeAll(List.copyOf(open));
        if (pools != null) {
            pools.close();
        }
    }

    @Test
    void theSecondControllerFinishesAFailoverTheFirstDiedInBetweenFencingAndPromotion() throws Exception {
        pools = ZfsTestPools.open(dir.resolve("pools"), "zhf");
        PoolName primary = pools.createPool("p", 96L << 20);
        PoolName standby = pools.createPool("s", 96L << 20);
        DatasetName vm1 = DatasetName.of(primary.value()).child("vm1");
        DatasetName copy = DatasetName.of(standby.value()).child("vm1");
        ZfsDriver.detect(pools.runner(), primary).createDataset(vm1);
        Topics topics = KafkaTestBroker.freshTopics("zhf", 1);
        KafkaConfig kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(),
                topics.prefix().substring(0, topics.prefix().length() - 1));
        EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start(dir.resolve("postgres"));
        open.push(postgres);
        Path endpoint = dir.resolve("vm1.endpoint");
        ControllerConfig yaml = ConfigFiles.parse("""
                kafka: { bootstrap: "unused:9092" }
                replication:
                  tickSeconds: 1
                  links:
                    - { match: "%1$s/vm*", targetServer: "%2$s", targetRoot: "%2$s", every: 1s }
                services:
                  - name: vm1
                    datasets: "%1$s/vm1"
                    primary: "%1$s"
                    standbys: ["%2$s"]
                    maxDataLoss: 10m
                    promote: { command: ["sh", "-c", "echo \\"$ZSENTINEL_NEW_PRIMARY $ZSENTINEL_GENERATION\\" > \\"$0\\"", "%3$s"] }
                failover: { leaseSeconds: 6, leaseMarginSeconds: 2, windowSeconds: 180 }
                """.formatted(primary, standby, endpoint), "controller.yaml", ControllerConfig.class);
        ControllerApp first = controller(kafka, yaml, postgres, "ctl-a");
        ControllerApp second = controller(kafka, yaml, postgres, "ctl-b");
        assertTrue(first.active());
        assertFalse(second.active());

        MessagePublisher publisher = MessagePublisher.create(KafkaTestBroker.bootstrapServers());
        open.push(publisher);
        Agent primaryAgent = agent(kafka, publisher, primary, pools.runner(), 0, Map.of());
        PeerAddress probe = new PeerAddress("127.0.0.1", primaryAgent.probePort().orElseThrow());
        HeldPromotion held = new HeldPromotion(pools.runner());
        agent(kafka, publisher, standby, held, 0, Map.of(primary.value(), probe));

        Path mounted = Path.of(Stack.run("zfs", "get", "-H", "-o", "value", "mountpoint", vm1.value()).strip());
        Files.writeString(mounted.resolve("records.log"), "record 1\n");
        Stack.run("zfs", "snapshot", vm1 + "@s1");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> Fleet.snapshots(copy.value()).contains("s1"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> service(first).path("service").path("state").asText().equals("serving")
                        && Stack.run("zfs", "get", "-H", "-o", "value", DatasetRole.ROLE, vm1.value()).strip()
                        .equals("primary"));

        // the primary's agent dies (its peer cannot reach it either); the first controller fences it (its lease) and
        // orders the promotion, which is held. (Its pool stays imported: an export is refused while other namespaces,
        // a lab's agents, hold copies of the mount, and the controllers' part is what this test is about.)
        open.remove(primaryAgent);
        primaryAgent.close();
        assertTrue(held.reached.await(120, TimeUnit.SECONDS), "the promotion reached the standby's agent");
        JsonNode running = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> service(first), s -> steps(s).contains("PrimaryFenced"));
        assertFalse(steps(running).contains("DatasetPromoted"), "not promoted yet: " + steps(running));

        Instant killed = Instant.now();
        first.abandon(); // dies without giving its lease up
        held.release();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(second::active);
        log.info("failover takeover: killed → second active in {} ms", Duration.between(killed, Instant.now()).toMillis());
        assertEquals(2, second.lease().epoch());

        JsonNode done = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> service(second), s -> s.path("service").path("primary").asText().equals(standby.value()));
        log.info("failover takeover: killed → switched by the second in {} ms",
                Duration.between(killed, Instant.now()).toMillis());
        assertEquals(2, done.path("service").path("generation").asLong(), done.toString());
        assertEquals(1, done.path("failovers").size(), "the same failover, finished: " + done);
        JsonNode failover = done.path("failovers").get(0);
        assertEquals("switched", failover.path("outcome").asText(), failover.toString());
        List<String> steps = steps(done);
        assertTrue(steps.indexOf("PrimaryFenced") < steps.indexOf("DatasetPromoted"), steps.toString());
        assertEquals("primary", Stack.run("zfs", "get", "-H", "-o", "value", DatasetRole.ROLE, copy.value()).strip());
        assertEquals(standby + " 2", Files.readString(endpoint).strip(), "the second controller ran the promote hook");

        // the second controller orders the standby (a checkpoint at epoch 2); then an epoch-1 order is refused
        ServerId standbyServer = new ServerId(standby.value());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> HTTP.send(
                HttpRequest.newBuilder(URI.create(url(second, "/api/datasets/" + Stack.encoded(copy.value())
                                + "/checkpoint"))).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"operator\":\"ha-test\",\"reason\":\"epoch 2\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 202);
        await().atMost(Duration.ofSeconds(120)).until(() -> Fleet.snapshots(copy.value()).stream()
                .anyMatch(s -> s.startsWith("zsentinel_checkpoint_")));
        send(publisher, topics, new TakeSnapshot(UUID.randomUUID(), standbyServer, 1, copy.snapshot("from-the-dead")));
        send(publisher, topics, new TakeSnapshot(UUID.randomUUID(), standbyServer, 2, copy.snapshot("marker")));
        await().atMost(Duration.ofSeconds(60)).until(() -> Fleet.snapshots(copy.value()).contains("marker"));
        assertFalse(Fleet.snapshots(copy.value()).contains("from-the-dead"), "an epoch-1 command acted after epoch 2");
    }

    /** Holds the standby agent's promotion to generation 2 (its first zfs set) until {@link #release()}. */
    private static final class HeldPromotion implements CommandRunner {
        final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final CommandRunner runner;

        HeldPromotion(CommandRunner runner) {
            this.runner = runner;
        }

        void release() {
            released.countDown();
        }

        @Override
        public CommandResult run(List<String> command, Duration timeout) {
            if (command.contains("set") && command.stream().anyMatch(a -> a.equals(DatasetRole.GENERATION + "=2"))) {
                reached.countDown();
                try {
                    released.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return runner.run(command, timeout);
        }

        @Override
        public long invocations() {
            return runner.invocations();
        }
    }

    private ControllerApp controller(KafkaConfig kafka, ControllerConfig yaml, EmbeddedPostgresStore postgres,
                                     String holder) {
        ControllerApp app = ControllerApp.start(new ControllerConfig(kafka, null,
                new ControllerConfig.HttpConfig("127.0.0.1", 0), null, yaml.retention(), yaml.replication(),
                yaml.services(), yaml.failover(), new ControllerLeaseConfig(null, null, holder)), postgres.dataSource(),
                Clock.systemUTC());
        open.push(app);
        return app;
    }

    /** A server named like its pool, heartbeating every second, lease 6 s (the controllers' failover.leaseSeconds). */
    private Agent agent(KafkaConfig kafka, MessagePublisher publisher, PoolName pool, CommandRunner runner,
                        Integer probePort, Map<String, PeerAddress> peers) {
        Agent agent = new Agent(new AgentConfig(new ServerId(pool.value()), kafka, List.of(pool), 1, 1, null, null, null,
                null, null, 6, null, probePort, peers, dir.resolve("state-" + pool.value()).toString()),
                ZfsDriver.detect(runner, pool), publisher, Clock.systemUTC()).start();
        open.push(agent);
        return agent;
    }

    private static void send(MessagePublisher publisher, Topics topics, TakeSnapshot take) {
        publisher.publishAndWait(topics.agentCommands(), take.server().value(),
                CODEC.encode(CODEC.wrap(take, "controller", Instant.now())));
    }

    private static List<String> steps(JsonNode service) {
        List<String> steps = new ArrayList<>();
        JsonNode failovers = service.path("failovers");
        if (failovers.size() > 0) {
            failovers.get(0).path("steps").forEach(s -> steps.add(s.path("event").asText()));
        }
        return steps;
    }

    private static JsonNode service(ControllerApp controller) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url(controller, "/api/services/vm1"))).GET()
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static String url(ControllerApp controller, String path) {
        return "http://127.0.0.1:" + controller.httpPort() + path;
    }
}
