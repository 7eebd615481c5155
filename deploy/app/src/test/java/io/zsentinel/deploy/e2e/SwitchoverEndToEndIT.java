package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import io.zsentinel.deploy.controller.ControllerApp;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12's switchover end to end on real parts (zfs-fuse pools, an agent each, the in-process broker, PostgreSQL, the
 * controller): records written on the primary up to the switchover, the last of them after its newest snapshot, are
 * all on the standby once it serves (nothing lost: the final snapshot was sent); the old primary is read-only and
 * receives the new primary's next snapshot incrementally (its older snapshots keep their guids).
 */
class SwitchoverEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static final Deque<AutoCloseable> open = new ArrayDeque<>();
    private static ZfsTestPools pools;
    private static ControllerApp controller;
    private static KafkaConfig kafka;
    private static PoolName primary;
    private static PoolName standby;

    @BeforeAll
    static void start() throws Exception {
        pools = ZfsTestPools.open(dir.resolve("pools"), "sw");
        primary = pools.createPool("p", 128L << 20);
        standby = pools.createPool("s", 128L << 20);
        ZfsDriver.detect(pools.runner(), primary).createDataset(new DatasetName(primary + "/vm1"));
        kafka = FailoverStack.freshKafka("switchover-e2e");
        controller = FailoverStack.service(kafka, pools, primary, standby, dir.resolve("postgres"), open);
    }

    @AfterAll
    static void stop() {
        FailoverStack.stop(open, pools, dir.resolve("pools"), null);
    }

    @Test
    void everyRecordWrittenBeforeTheSwitchoverIsOnTheStandbyAndTheOldPrimaryReceivesFromIt() throws Exception {
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
                        && FailoverStack.health(controller, standby).equals("healthy"));
        // a switchover whose final send cannot go (its link paused) is aborted at once: the old primary serves again
        String linkId = null;
        for (JsonNode link : JSON.readTree(get("/api/replication/links"))) {
            if (link.path("target").path("dataset").asText().equals(copy)) {
                linkId = link.path("id").asText();
            }
        }
        String path = "/api/replication/links/" + Stack.encoded(linkId);
        assertEquals(200, postStatus(path + "/pause", "{\"operator\":\"it\",\"reason\":\"a cable out\"}"));
        JsonNode refusedSend = post("/api/services/vm1/switchover", "{\"operator\":\"it\",\"reason\":\"no link\","
                + "\"to\":\"" + standby + "\"}");
        assertEquals("switching over", refusedSend.path("status").asText(), refusedSend.toString());
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> service().path("service").path("generation").asLong() == 3
                            && service().path("service").path("state").asText().equals("serving")
                            && Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:role", vm1).strip().equals("primary"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the old primary does not serve again: " + get("/api/services/vm1"), e);
        }
        assertEquals(primary.value(), service().path("service").path("primary").asText());
        assertTrue(get("/api/services/vm1").contains("is paused by it (a cable out)"), get("/api/services/vm1"));
        assertEquals(200, postStatus(path + "/resume", "{\"operator\":\"it\",\"reason\":\"cable back\"}"));
        Stack.run("zfs", "snapshot", vm1 + "@s3b");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> Fleet.snapshots(copy).contains("s3b"));

        // written after the newest snapshot: only the switchover's final snapshot carries it
        Files.writeString(mounted.resolve("records.log"), "record 4 (after the last snapshot)\n", StandardOpenOption.APPEND);
        String s3Guid = guid(vm1 + "@s3");

        JsonNode ordered = post("/api/services/vm1/switchover", "{\"operator\":\"it\",\"reason\":\"disk firmware\","
                + "\"to\":\"" + standby + "\"}");
        assertEquals("switching over", ordered.path("status").asText(), ordered.toString());
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> service().path("service").path("primary").asText().equals(standby.value()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not switched: " + get("/api/services/vm1"), e);
        }
        JsonNode switched = service().path("service");
        assertEquals("serving", switched.path("state").asText(), "a planned switchover blocks nothing: " + switched);
        assertEquals(4, switched.path("generation").asLong(), "after the aborted one (3): " + switched);

        assertEquals(List.of("record 1", "record 2", "record 3", "record 4 (after the last snapshot)"),
                Files.readAllLines(mountpoint(copy).resolve("records.log")), "zero records lost");
        assertEquals("off", Stack.run("zfs", "get", "-H", "-o", "value", "readonly", copy).strip(), "the standby serves");
        assertOldPrimaryReadOnly(vm1);
        assertEquals(guid(vm1 + "@zsentinel-switchover-4"), guid(copy + "@zsentinel-switchover-4"), "the final snapshot");

        // the new primary writes and snapshots: the old primary receives it, incrementally (same older guids)
        Files.writeString(mountpoint(copy).resolve("records.log"), "record 5 (on the new primary)\n",
                StandardOpenOption.APPEND);
        Stack.run("zfs", "snapshot", copy + "@after-switchover");
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Fleet.snapshots(vm1).contains("after-switchover"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the old primary never received: " + get("/api/replication/links"), e);
        }
        assertEquals(s3Guid, guid(vm1 + "@s3"), "the same s3: nothing was resent in full");
        assertEquals(guid(copy + "@after-switchover"), guid(vm1 + "@after-switchover"));
        assertOldPrimaryReadOnly(vm1);
        String audit = get("/api/audit");
        assertTrue(audit.contains("switchover vm1 --to " + standby), audit);
    }

    /** A replica that takes no write (zfs-fuse reports readonly as its mount's "temporary" value: the role and a refused write say it). */
    private static void assertOldPrimaryReadOnly(String dataset) throws Exception {
        assertEquals("replica", Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:role", dataset).strip());
        Path mounted = mountpoint(dataset);
        assertThrows(java.io.IOException.class, () -> Files.writeString(mounted.resolve("late-write.log"), "x"),
                "the old primary takes no writes");
    }

    private static Path mountpoint(String dataset) throws Exception {
        return Path.of(Stack.run("zfs", "get", "-H", "-o", "value", "mountpoint", dataset).strip());
    }

    private static String guid(String snapshot) throws Exception {
        return Stack.run("zfs", "get", "-H", "-o", "value", "guid", snapshot).strip();
    }

    private static JsonNode service() throws Exception {
        return JSON.readTree(get("/api/services/vm1"));
    }

    private static String get(String path) throws Exception {
        return FailoverStack.get(controller, path);
    }

    private static int postStatus(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.httpPort() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static JsonNode post(String path, String body) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.httpPort() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
