package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import io.zsentinel.deploy.agent.Agent;
import io.zsentinel.deploy.agent.PeerAddress;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12's rejoin end to end on real parts (zfs-fuse pools, an agent each, the in-process broker, PostgreSQL, the
 * controller): the primary of {@code vm1} loses its agent and is failed over to its standby; meanwhile it took writes after
 * the last snapshot the standby received (a snapshot of its own, and writes after that). Back, it is demoted; the dry
 * run shows the common snapshot and what lies after it; the rejoin keeps that aside as a rescue (its bytes readable),
 * rolls the dataset back, and the new primary's next snapshot reaches it incrementally: its older snapshots are the
 * same ones (same guids), nothing was resent. The rescue is listed, and gone only after an operator's release. Then
 * the failback, a switchover back to the original primary: every record the new primary took is on it.
 */
class RejoinEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static final Deque<AutoCloseable> open = new ArrayDeque<>();
    private static ZfsTestPools pools;
    private static EmbeddedPostgresStore postgres;
    private static ControllerApp controller;
    private static KafkaConfig kafka;
    private static PoolName primary;
    private static PoolName standby;
    private static Agent primaryAgent;

    @BeforeAll
    static void start() throws Exception {
        pools = ZfsTestPools.open(dir.resolve("pools"), "rj");
        primary = pools.createPool("p", 128L << 20);
        standby = pools.createPool("s", 128L << 20);
        ZfsDriver.detect(pools.runner(), primary).createDataset(new DatasetName(primary + "/vm1"));
        kafka = FailoverStack.freshKafka("rejoin-e2e");
        postgres = EmbeddedPostgresStore.start(dir.resolve("postgres"));
        open.push(postgres);
        controller = FailoverStack.controller(kafka, postgres.dataSource(), primary, standby, open);
        primaryAgent = agent(primary, 0, Map.of());
        agent(standby, 0, Map.of(primary.value(), new PeerAddress("127.0.0.1", primaryAgent.probePort().orElseThrow())));
    }

    private static Agent agent(PoolName pool, Integer probePort, Map<String, PeerAddress> peers) {
        return FailoverStack.agent(pools, kafka, open, pool, probePort, peers);
    }

    @AfterAll
    static void stop() {
        FailoverStack.stop(open, pools, dir.resolve("pools"), null);
    }

    @Test
    void aFormerPrimaryWithDivergentWritesRejoinsKeepingThemAndReceivesIncrementally() throws Exception {
        String vm1 = primary + "/vm1";
        String copy = standby + "/vm1";
        Path mounted = mountpoint(vm1);
        for (int i = 1; i <= 3; i++) {
            Files.writeString(mounted.resolve("records.log"), "record " + i + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Stack.run("zfs", "snapshot", vm1 + "@s" + i);
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> Fleet.snapshots(copy).contains("s3"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:role", vm1).strip().equals("primary")
                        && health(standby).equals("healthy"));

        // the primary's agent dies (the standby's probe finds it gone: failed); its pool stays, and away from the
        // controller it takes writes: a snapshot the standby never gets (only its agent sends), and more after it
        open.remove(primaryAgent);
        primaryAgent.close();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> service().path("service").path("primary").asText().equals(standby.value()));
        Files.writeString(mountpoint(vm1).resolve("records.log"), "record 4 (divergent, snapshotted)\n",
                StandardOpenOption.APPEND);
        Stack.run("zfs", "snapshot", vm1 + "@s4-divergent");
        Files.writeString(mountpoint(vm1).resolve("records.log"), "record 5 (divergent, after the last snapshot)\n",
                StandardOpenOption.APPEND);
        String s3Guid = guid(vm1 + "@s3");
        agent(primary, 0, Map.of());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:role", vm1).strip().equals("replica")
                        && health(primary).equals("healthy") && Fleet.snapshots(vm1).contains("s4-divergent")
                        && inventoryHas(primary.value(), vm1, "s4-divergent"));

        JsonNode dry = post("/api/servers/" + primary + "/rejoin", "{\"operator\":\"it\",\"dryRun\":true}");
        JsonNode plan = dry.path("services").get(0);
        assertEquals("dry-run", plan.path("status").asText(), dry.toString());
        JsonNode dataset = plan.path("datasets").get(0);
        assertEquals("s3", dataset.path("common").asText(), dry.toString());
        assertEquals(List.of("s4-divergent"), List.of(dataset.path("snapshotsAfter").get(0).asText()), dry.toString());
        assertTrue(dataset.path("keptAs").asText().startsWith(primary + "/zsentinel-rescue/vm1-"), dry.toString());
        assertEquals(List.of("s1", "s2", "s3", "s4-divergent"), Fleet.snapshots(vm1), "a dry run changes nothing");

        JsonNode ordered = post("/api/servers/" + primary + "/rejoin",
                "{\"operator\":\"it\",\"reason\":\"primary repaired\"}");
        assertEquals("ordered", ordered.path("services").get(0).path("status").asText(), ordered.toString());
        String rescue = ordered.path("services").get(0).path("datasets").get(0).path("keptAs").asText();

        // the new primary takes a snapshot: the rejoined copy receives it, incrementally from s3
        Files.writeString(mountpoint(copy).resolve("records.log"), "record 4 (on the new primary)\n",
                StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Fleet.snapshots(rescue).contains("s4-divergent"));
        Stack.run("zfs", "snapshot", copy + "@after-rejoin");
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Fleet.snapshots(vm1).contains("after-rejoin"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the rejoined copy never received: " + get("/api/replication/links"), e);
        }
        assertEquals(List.of("s1", "s2", "s3", "after-rejoin"), Fleet.snapshots(vm1));
        assertEquals(s3Guid, guid(vm1 + "@s3"), "the same s3: the stream was incremental from it, nothing resent");
        assertEquals(guid(copy + "@after-rejoin"), guid(vm1 + "@after-rejoin"));
        assertEquals("replica", Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:role", vm1).strip());

        // the divergent bytes are in the rescue: the snapshot, and what was written after it
        Path kept = mountpoint(rescue);
        String keptRecords = Files.readString(kept.resolve("records.log"));
        assertTrue(keptRecords.contains("record 4 (divergent, snapshotted)")
                && keptRecords.contains("record 5 (divergent, after the last snapshot)"), keptRecords);
        assertTrue(Fleet.snapshots(rescue).stream().anyMatch(s -> s.startsWith("zsentinel-rescue-")),
                Fleet.snapshots(rescue).toString());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> JSON.readTree(get("/api/rescues")).size() == 1);
        JsonNode listed = JSON.readTree(get("/api/rescues")).get(0);
        assertEquals(primary + ":" + rescue, listed.path("name").asText(), listed.toString());
        assertEquals("s3", listed.path("fromSnapshot").asText());
        assertEquals(vm1, listed.path("dataset").asText());

        // restorable per file like any snapshot: records.log as it was at the divergent snapshot
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> inventoryHas(primary.value(), rescue, "s4-divergent"));
        Path restoreTo = Files.createDirectories(dir.resolve("restored"));
        JsonNode restore = post("/api/datasets/" + rescue.replace("/", "%2F") + "/restore", "{\"operator\":\"it\","
                + "\"reason\":\"the lost record\",\"server\":\"" + primary + "\",\"snapshot\":\"s4-divergent\","
                + "\"path\":\"records.log\",\"to\":\"" + restoreTo + "\"}");
        assertEquals("ordered", restore.path("status").asText(), restore.toString());
        Path restored = restoreTo.resolve(rescue.replace('/', '_')).resolve("s4-divergent").resolve("records.log");
        List<String> expected = List.of("record 1", "record 2", "record 3", "record 4 (divergent, snapshotted)");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.exists(restored) && Files.readAllLines(restored).equals(expected));

        JsonNode released = post("/api/rescues/release", "{\"operator\":\"it\",\"reason\":\"records copied\",\"name\":\""
                + primary + ":" + rescue + "\"}");
        assertEquals("releasing", released.path("status").asText(), released.toString());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> JSON.readTree(get("/api/rescues")).isEmpty() && Fleet.snapshots(rescue).isEmpty());
        assertEquals(List.of("s1", "s2", "s3", "after-rejoin"), Fleet.snapshots(vm1), "the release left the dataset");
        String audit = get("/api/audit");
        assertTrue(audit.contains("rejoin " + primary) && audit.contains("rescue release"), audit);

        // failback is a switchover back, never automatic: every record the new primary took is on the original one
        Files.writeString(mountpoint(copy).resolve("records.log"), "record 5 (on the new primary, before the failback)\n",
                StandardOpenOption.APPEND);
        List<String> served = Files.readAllLines(mountpoint(copy).resolve("records.log"));
        // refused (409) until the inventory shows what the rejoined copy received
        java.util.concurrent.atomic.AtomicReference<JsonNode> answer = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        answer.set(post("/api/services/vm1/switchover", "{\"operator\":\"it\",\"reason\":\"failback\","
                                + "\"to\":\"" + primary + "\"}"));
                        return answer.get().path("status").asText().equals("switching over");
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the failback was not ordered: " + answer.get(), e);
        }
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> service().path("service").path("primary").asText().equals(primary.value())
                            && Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:role", vm1).strip().equals("primary"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no failback: " + get("/api/services/vm1"), e);
        }
        assertEquals(served, Files.readAllLines(mountpoint(vm1).resolve("records.log")), "zero records lost in the failback");
        assertEquals(3, service().path("service").path("generation").asLong(), service().toString());
        assertEquals("replica", Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:role", copy).strip());
        Files.writeString(mountpoint(vm1).resolve("records.log"), "record 6 (on the original primary again)\n",
                StandardOpenOption.APPEND);
    }

    private static Path mountpoint(String dataset) throws Exception {
        return Path.of(Stack.run("zfs", "get", "-H", "-o", "value", "mountpoint", dataset).strip());
    }

    private static String guid(String snapshot) throws Exception {
        return Stack.run("zfs", "get", "-H", "-o", "value", "guid", snapshot).strip();
    }

    private static boolean inventoryHas(String server, String dataset, String snapshot) throws Exception {
        return get("/api/datasets/" + dataset.replace("/", "%2F") + "/snapshots?server=" + server).contains(snapshot);
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

    private static JsonNode post(String path, String body) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.httpPort() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
