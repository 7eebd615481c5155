package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.config.ConfigFiles;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import io.zsentinel.deploy.agent.Agent;
import io.zsentinel.deploy.agent.PeerAddress;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failover end to end on real parts: zfs-fuse pools for a primary, its standby and an offsite DC, an agent each
 * (probing the primary), the in-process broker, PostgreSQL and the controller with a service {@code vm1} on the
 * primary. The primary crashes (its agent stops, its pool is exported): it is declared failed, the failover waits for
 * its lease (no fence hook), promotes the standby's copy at generation 2 with every replicated snapshot and the
 * records written up to the last one, runs the promote hook, and switches; the offsite goes on receiving from the
 * new primary, incrementally. The old primary comes back: its agent demotes its copy (read-only) and it does not
 * serve.
 */
class FailoverEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static final Deque<AutoCloseable> open = new ArrayDeque<>();
    private static ZfsTestPools pools;
    private static EmbeddedPostgresStore postgres;
    private static ControllerApp controller;
    private static KafkaConfig kafka;
    private static PoolName primary;
    private static PoolName standby;
    private static PoolName offsite;
    private static Agent primaryAgent;
    private static Path endpoint;

    @BeforeAll
    static void start() throws Exception {
        pools = ZfsTestPools.open(dir.resolve("pools"), "fo");
        primary = pools.createPool("p", 128L << 20);
        standby = pools.createPool("s", 128L << 20);
        offsite = pools.createPool("o", 128L << 20);
        ZfsDriver.detect(pools.runner(), primary).createDataset(new io.zsentinel.core.values.DatasetName(primary + "/vm1"));
        Topics topics = KafkaTestBroker.freshTopics("failover-e2e", 1);
        kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(), topics.prefix().substring(0, topics.prefix().length() - 1));
        postgres = EmbeddedPostgresStore.start(dir.resolve("postgres"));
        open.push(postgres);
        endpoint = dir.resolve("vm1.endpoint");
        ControllerConfig yaml = ConfigFiles.parse("""
                kafka: { bootstrap: "unused:9092" }
                replication:
                  tickSeconds: 1
                  links:
                    - { match: "%1$s/vm*", targetServer: "%2$s", targetRoot: "%2$s", every: 1s }
                    - { match: "%1$s/vm*", targetServer: "%3$s", targetRoot: "%3$s", every: 1s }
                services:
                  - name: vm1
                    datasets: "%1$s/vm1"
                    primary: "%1$s"
                    standbys: ["%2$s"]
                    maxDataLoss: 10m
                    promote: { command: ["sh", "-c", "echo \\"$ZSENTINEL_NEW_PRIMARY $ZSENTINEL_DATASETS $ZSENTINEL_GENERATION\\" > \\"$0\\"", "%4$s"] }
                failover: { leaseSeconds: 6, leaseMarginSeconds: 2, windowSeconds: 180 }
                """.formatted(primary, standby, offsite, endpoint), "controller.yaml", ControllerConfig.class);
        controller = ControllerApp.start(new ControllerConfig(kafka, null, new ControllerConfig.HttpConfig("127.0.0.1", 0),
                null, yaml.retention(), yaml.replication(), yaml.services(), yaml.failover()), postgres.dataSource(),
                Clock.systemUTC());
        open.push(controller);
        primaryAgent = agent(primary, 0, Map.of());
        PeerAddress probe = new PeerAddress("127.0.0.1", primaryAgent.probePort().orElseThrow());
        agent(standby, 0, Map.of(primary.value(), probe));
        agent(offsite, null, Map.of(primary.value(), probe));
    }

    private static Agent agent(PoolName pool, Integer probePort, Map<String, PeerAddress> peers) {
        return FailoverStack.agent(pools, kafka, open, pool, probePort, peers);
    }

    @AfterAll
    static void stop() {
        FailoverStack.stop(open, pools, dir.resolve("pools"), primary);
    }

    @Test
    void aCrashedPrimaryIsFailedOverToItsStandbyWhichServesEveryReplicatedSnapshot() throws Exception {
        String vm1 = primary + "/vm1";
        String copy = standby + "/vm1";
        Path mounted = Path.of(Stack.run("zfs", "get", "-H", "-o", "value", "mountpoint", vm1).strip());
        List<String> records = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            records.add("record " + i);
            Files.write(mounted.resolve("records.log"), records);
            Stack.run("zfs", "snapshot", vm1 + "@s" + i);
        }
        Files.write(mounted.resolve("records.log"), List.of("record 1", "record 2", "record 3", "record 4 (after s3)"));
        // the first transfer is a full send of the newest snapshot the controller knows of: s1, s2 and s3 (-I) or s3 alone
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> Fleet.snapshots(copy).contains("s3") && Fleet.snapshots(offsite + "/vm1").contains("s3"));
        List<String> replicated = Fleet.snapshots(copy);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> service().path("service").path("state").asText().equals("serving")
                        && health(standby).equals("healthy") && health(primary).equals("healthy"));

        // the controller marks the first primary's copy as the service's primary (what its agent demotes on a lapsed lease)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:role", vm1).strip().equals("primary"));
        assertEquals("1", Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:generation", vm1).strip());

        long crashAt = System.nanoTime();
        open.remove(primaryAgent);
        primaryAgent.close();
        Stack.run("zpool", "export", primary.value());

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> service().path("service").path("primary").asText().equals(standby.value()));
        Duration switched = Duration.ofNanos(System.nanoTime() - crashAt);
        System.out.println("FailoverEndToEndIT: crash → ServiceSwitched in " + switched.toMillis() + " ms");
        JsonNode row = service().path("service");
        assertEquals(2, row.path("generation").asLong(), row.toString());
        assertEquals("blocked", row.path("state").asText(), "automatic failover waits for an ack: " + row);
        JsonNode failover = service().path("failovers").get(0);
        assertEquals("switched", failover.path("outcome").asText(), failover.toString());
        List<String> steps = new ArrayList<>();
        failover.path("steps").forEach(s -> steps.add(s.path("event").asText()));
        assertTrue(steps.indexOf("PrimaryFenced") >= 0 && steps.indexOf("PrimaryFenced") < steps.indexOf("DatasetPromoted"),
                "fenced (by its lease) before any promotion: " + steps);

        assertEquals("2", Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:generation", copy).strip());
        assertEquals("primary", Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:role", copy).strip());
        assertEquals(replicated, Fleet.snapshots(copy), "every replicated snapshot is there");
        Path served = Path.of(Stack.run("zfs", "get", "-H", "-o", "value", "mountpoint", copy).strip());
        assertEquals(List.of("record 1", "record 2", "record 3"), Files.readAllLines(served.resolve("records.log")),
                "the records up to the last replicated snapshot; the one written after it is lost");
        Files.writeString(served.resolve("after-failover.log"), "written on the new primary\n"); // writable

        // the offsite keeps receiving, now from the new primary, incrementally: its older snapshots stay
        String offsiteCopy = offsite + "/vm1";
        List<String> offsiteBefore = Fleet.snapshots(offsiteCopy);
        String guidBefore = Stack.run("zfs", "get", "-H", "-o", "value", "guid", offsiteCopy + "@s3").strip();
        Stack.run("zfs", "snapshot", copy + "@after-failover");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> Fleet.snapshots(offsiteCopy).contains("after-failover"));
        List<String> expected = new ArrayList<>(offsiteBefore);
        expected.add("after-failover");
        assertEquals(expected, Fleet.snapshots(offsiteCopy), "the offsite kept what it had and got the new one");
        assertEquals(guidBefore, Stack.run("zfs", "get", "-H", "-o", "value", "guid", offsiteCopy + "@s3").strip(),
                "the same s3: received incrementally, not resent");
        assertEquals(standby + " " + copy + " 2", Files.readString(endpoint).strip(), "the promote hook ran");

        // the old primary comes back: its agent demotes its copy and it serves no more
        Stack.run("zpool", "import", "-d", dir.resolve("pools").resolve(primary.value()).toString(), primary.value());
        agent(primary, 0, Map.of());
        // (zfs-fuse reports readonly as its mount's "temporary" value: the role and a refused write say it)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:role", vm1).strip().equals("replica"));
        assertEquals("2", Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:generation", vm1).strip());
        Path former = Path.of(Stack.run("zfs", "get", "-H", "-o", "value", "mountpoint", vm1).strip());
        assertThrows(java.io.IOException.class, () -> Files.writeString(former.resolve("late-write.log"), "x"),
                "the former primary takes no writes");
        assertEquals(standby.value(), service().path("service").path("primary").asText(), "still one primary");
    }

    private static JsonNode service() throws Exception {
        return JSON.readTree(get("/api/services/vm1"));
    }

    private static String health(PoolName server) throws Exception {
        return FailoverStack.health(controller, server);
    }

    private static String get(String path) throws Exception {
        return FailoverStack.get(controller, path);
    }
}
