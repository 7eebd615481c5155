package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static io.zsentinel.deploy.e2e.Stack.run;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replication on real parts: one source and two target servers (zfs-fuse pools, an agent each),
 * Kafka, PostgreSQL, the controller with two links. Full then incremental sends to both targets,
 * byte-equal; a transfer killed midway is retried and completes; a target written to is detected
 * as diverged and left untouched until an operator resolves it; the link's base is held on the source
 * and the hold moves with it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationEndToEndIT {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static Fleet fleet;
    static PoolName src;
    static PoolName tga;
    static PoolName tgb;
    static DatasetName vm1;

    @BeforeAll
    static void start() {
        // Link A is throttled to 4 MiB/s so that a transfer lasts long enough to be killed midway.
        fleet = Fleet.start(dir, "ztx", 256L << 20, List.of("s", "a", "b"), pools -> """
                replication:
                  tickSeconds: 1
                  links:
                    - { match: "%1$s/vm*", targetServer: "%2$s", targetRoot: "%2$s", every: 1s, bandwidthLimit: 4M }
                    - { match: "%1$s/vm*", targetServer: "%3$s", targetRoot: "%3$s", every: 1s }
                """.formatted(pools.get(0), pools.get(1), pools.get(2)));
        src = fleet.server(0);
        tga = fleet.server(1);
        tgb = fleet.server(2);
        vm1 = fleet.vm1;
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    @Order(1)
    void fullThenIncrementalToBothTargetsWithEqualGuidsAndBytes() throws Exception {
        Path live = mountpoint(vm1);
        byte[] first = random(1_000_000, 1);
        Files.write(live.resolve("disk.img"), first);
        run("zfs", "snapshot", vm1 + "@s1");
        awaitOnTargets("s1");
        byte[] second = random(2_000_000, 2);
        Files.write(live.resolve("disk.img"), second);
        run("zfs", "snapshot", vm1 + "@s2");
        run("zfs", "snapshot", vm1 + "@s3"); // sent as an intermediate (-I) with s2: the targets keep the history
        awaitOnTargets("s2", "s3");
        for (PoolName target : List.of(tga, tgb)) {
            DatasetName copy = new DatasetName(target + "/vm1");
            for (String snap : List.of("s1", "s2", "s3")) {
                assertEquals(guid(vm1 + "@" + snap), guid(copy + "@" + snap), copy + "@" + snap + " is the same snapshot");
            }
            run("zfs", "set", "readonly=on", copy.value()); // reading must not write (atime) to a replica
            run("zfs", "mount", copy.value());
            assertArrayEquals(second, Files.readAllBytes(mountpoint(copy).resolve("disk.img")));
            run("zfs", "umount", copy.value());
        }
        // The source holds each link's base, one hold per link: two holds on s3, none left on s1.
        await().atMost(Duration.ofSeconds(120)).until(() -> userrefs(vm1 + "@s3") == 2 && userrefs(vm1 + "@s1") == 0);
        // The base survives a prune: ZFS itself refuses to destroy it while a link holds it.
        Process destroy = new ProcessBuilder("zfs", "destroy", vm1 + "@s3").redirectErrorStream(true).start();
        String refusal = new String(destroy.getInputStream().readAllBytes());
        assertTrue(destroy.waitFor() != 0 && snapshotsOf(vm1).contains(vm1 + "@s3\n"), "held base destroyed: " + refusal);
    }

    @Test
    @Order(2)
    void aTransferKilledMidwayIsRetriedAndCompletes() throws Exception {
        Files.write(mountpoint(vm1).resolve("big.img"), random(24 * 1024 * 1024, 3));
        run("zfs", "snapshot", vm1 + "@big");
        DatasetName copy = new DatasetName(tga + "/vm1");
        // The throttled link A needs ~6 s: kill its receiving zfs once the transfer runs.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> linkOf(tga).path("transfer").isObject()
                        && new ProcessBuilder("pgrep", "-f", "receive -u " + copy.value()).start().waitFor() == 0);
        run("pkill", "-f", "receive -u " + copy.value());
        await().atMost(Duration.ofSeconds(120)).until(() -> linkOf(tga).path("consecutiveFailures").asInt() >= 1
                || linkOf(tga).path("lastFailureReason").isTextual());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> snapshotsOf(copy).contains(copy + "@big"));
        assertEquals(guid(vm1 + "@big"), guid(copy + "@big"));
        await().atMost(Duration.ofSeconds(120)).until(() -> linkOf(tga).path("consecutiveFailures").asInt() == 0);
    }

    @Test
    @Order(3)
    void aTargetWrittenToIsDetectedAsDivergedAndLeftUntouched() throws Exception {
        DatasetName copy = new DatasetName(tgb + "/vm1");
        await().atMost(Duration.ofSeconds(60)).until(() -> snapshotsOf(copy).contains(copy + "@big"));
        run("zfs", "set", "readonly=off", copy.value());
        run("zfs", "mount", copy.value());
        Files.writeString(mountpoint(copy).resolve("local-change.txt"), "written on the standby");
        run("sync");
        String snapshotsBefore = snapshotsOf(copy);
        run("zfs", "snapshot", vm1 + "@after-divergence");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> "diverged".equals(linkOf(tgb).path("state").asText()));
        assertEquals(snapshotsBefore, snapshotsOf(copy), "no snapshot received, none destroyed");
        assertEquals("written on the standby", Files.readString(mountpoint(copy).resolve("local-change.txt")),
                "the target's own data is untouched: never a silent -F");
        // The other link goes on.
        await().atMost(Duration.ofSeconds(60)).until(() -> snapshotsOf(new DatasetName(tga + "/vm1"))
                .contains(tga + "/vm1@after-divergence"));
    }

    @Test
    @Order(4)
    void onlyAnOperatorsResolutionDiscardsTheDivergedTargetsDataAndTheLinkResumes() throws Exception {
        DatasetName copy = new DatasetName(tgb + "/vm1");
        await().atMost(Duration.ofSeconds(60)).until(() -> "diverged".equals(linkOf(tgb).path("state").asText()));
        String id = linkOf(tgb).path("id").asText();
        String path = "/api/replication/links/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                + "/resolve";
        HttpResponse<String> withoutConsent = post(path, "{\"operator\":\"dana@ops\",\"reason\":\"test\"}");
        assertEquals(400, withoutConsent.statusCode(), withoutConsent.body());
        assertTrue(Files.exists(mountpoint(copy).resolve("local-change.txt")), "a refused resolution changes nothing");

        HttpResponse<String> resolved = post(path,
                "{\"rollbackTarget\":true,\"operator\":\"dana@ops\",\"reason\":\"standby written by mistake\"}");
        assertTrue(resolved.statusCode() < 300, resolved.body());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> snapshotsOf(copy).contains(copy + "@after-divergence"));
        assertEquals(guid(vm1 + "@after-divergence"), guid(copy + "@after-divergence"));
        await().atMost(Duration.ofSeconds(60)).until(() -> !"diverged".equals(linkOf(tgb).path("state").asText()));
        // A fresh mount: the kernel's FUSE caches may still show the entry from before the rollback.
        if (run("zfs", "get", "-H", "-o", "value", "mounted", copy.value()).strip().equals("yes")) {
            run("zfs", "umount", copy.value());
        }
        run("zfs", "mount", copy.value());
        assertTrue(!Files.exists(mountpoint(copy).resolve("local-change.txt")), "the target's own write was discarded");
    }

    @Test
    @Order(5)
    void aLinkTakenOutOfTheConfigurationReleasesItsHoldAndIsNoLongerShown() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> linkOf(tgb).path("base").path("name").asText()
                .equals(linkOf(tga).path("base").path("name").asText()) && !linkOf(tga).path("base").isMissingNode());
        String base = linkOf(tgb).path("base").path("name").asText();
        await().atMost(Duration.ofSeconds(120)).until(() -> userrefs(base) == 2); // one hold per link

        // the operator removes the link to tgb and restarts the controller
        fleet.restartController(pools -> """
                replication:
                  tickSeconds: 1
                  links:
                    - { match: "%1$s/vm*", targetServer: "%2$s", targetRoot: "%2$s", every: 1s, bandwidthLimit: 4M }
                """.formatted(pools.get(0), pools.get(1)));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> userrefs(base) == 1 && linkOf(tgb).isEmpty());
        assertEquals(base, linkOf(tga).path("base").path("name").asText(), "the other link keeps its base and hold");
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fleet.controller.httpPort() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitOnTargets(String... snaps) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            for (PoolName target : List.of(tga, tgb)) {
                String list = snapshotsOf(new DatasetName(target + "/vm1"));
                for (String s : snaps) {
                    if (!list.contains(target + "/vm1@" + s + "\n")) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    private static JsonNode linkOf(PoolName target) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fleet.controller.httpPort()
                + "/api/replication/links")).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode link : JSON.readTree(r.body())) {
            if (link.path("target").path("server").asText().equals(target.value())) {
                return link;
            }
        }
        return JSON.createObjectNode();
    }

    private static String snapshotsOf(DatasetName dataset) {
        try {
            Process p = new ProcessBuilder("zfs", "list", "-H", "-o", "name", "-t", "snapshot", "-r", dataset.value())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor() == 0 ? out : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static String guid(String snapshot) throws Exception {
        return run("zfs", "get", "-H", "-p", "-o", "value", "guid", snapshot).strip();
    }

    private static long userrefs(String snapshot) throws Exception {
        return Long.parseLong(run("zfs", "get", "-H", "-p", "-o", "value", "userrefs", snapshot).strip());
    }

    private static Path mountpoint(DatasetName dataset) throws Exception {
        return Path.of(run("zfs", "get", "-H", "-o", "value", "mountpoint", dataset.value()).strip());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
