package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.deploy.cli.StatusCommandAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.zsentinel.deploy.e2e.Fleet.snapshots;
import static io.zsentinel.deploy.e2e.Stack.run;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A paused link holds its source's expired snapshots back, says so (datasets and links answers, /metrics,
 * status), and past {@code maxHeldForReplicas} the oldest go anyway, the reason naming the target and the
 * base it resends from; the base stays. Real zfs-fuse pools, Kafka, PostgreSQL.
 */
class HeldForReplicaEndToEndIT {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Frequent snapshots of past slots (the controller's own frequent one, once a day, is the newest slot). */
    private static final List<String> FREQUENT = List.of(1, 2, 3, 4, 5, 6).stream()
            .map(i -> "zsentinel_frequently_2026-11-20T0" + i + ":00:00Z").toList();

    @TempDir
    static Path dir;
    static Fleet fleet;
    static PoolName src;
    static PoolName dst;
    static String link;

    @BeforeAll
    static void start() {
        // Keep 2 frequent, at most 3 more for a target that has not received them.
        fleet = Fleet.start(dir, "zhb", 128L << 20, List.of("s", "d"), pools -> """
                retention:
                  tickSeconds: 1
                  policies:
                    - { match: "%s/**", keep: { frequently: 2 }, frequentlyEvery: 24h, maxHeldForReplicas: 3 }
                replication:
                  tickSeconds: 1
                  links:
                    - { match: "%s/vm*", targetServer: "%s", targetRoot: "%s", every: 1s }
                """.formatted(pools.get(0), pools.get(0), pools.get(1), pools.get(1)));
        src = fleet.server(0);
        dst = fleet.server(1);
        link = src + ":" + src + "/vm1->" + dst + ":" + dst + "/vm1";
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void aPausedLinkHoldsBackRetentionVisiblyAndOnlyUpToTheLimit() throws Exception {
        String source = src + "/vm1";
        String copy = dst + "/vm1";
        // The controller takes today's frequent snapshot; the link sends it: that is the link's base.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> !snapshots(copy).isEmpty() && snapshots(copy).equals(snapshots(source)));
        String base = snapshots(source).get(0);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
                .until(() -> linkAnswer().path("base").path("name").asText().equals(source + "@" + base));
        HttpResponse<String> paused = post("/api/replication/links/" + encoded(link) + "/pause",
                "{\"operator\":\"tester\",\"reason\":\"target maintenance\"}");
        assertEquals(200, paused.statusCode(), paused.body());

        // Six frequent snapshots while paused, each holding 1 MiB of its own: 2 are kept by count, the base by the
        // link, and of the other 4 the link may hold back 3: the oldest goes, the target will skip it.
        Path mnt = Path.of(run("zfs", "get", "-H", "-o", "value", "mountpoint", source).strip());
        for (int i = 0; i < FREQUENT.size(); i++) {
            writeRandomFile(mnt.resolve("f" + i), i);
            run("zfs", "snapshot", source + "@" + FREQUENT.get(i));
            Files.delete(mnt.resolve("f" + i));
        }
        List<String> expected = new ArrayList<>(List.of(base));
        expected.addAll(FREQUENT.subList(1, FREQUENT.size()));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> snapshots(source).equals(expected));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(120))
                .until(() -> snapshots(source).equals(expected)); // the held 3 and the base stay

        String reason = pruneReason(FREQUENT.get(0));
        assertTrue(reason.contains("maxHeldForReplicas") && reason.contains(link + " has not received it and will not")
                && reason.contains("common base " + base), reason);

        // The held-back state: on the dataset, on the link, in /metrics and in zsentinel status.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> heldOnDataset().path("snapshots").asInt() == 3 && heldOnDataset().path("bytes").asLong() >= 3L << 20);
        JsonNode held = heldOnDataset();
        assertEquals(link, held.path("link").asText());
        assertEquals(3, held.path("limit").asInt());
        assertEquals(source + "@" + base, held.path("base").asText());
        assertEquals(3, linkAnswer().path("retentionHeldBack").path("snapshots").asInt(), linkAnswer().toString());
        String metrics = get("/metrics").body();
        // Micrometer's Prometheus registry: labels in name order, numbers as Java writes doubles
        assertTrue(metrics.contains("zsentinel_retention_held_snapshots{dataset=\"" + source + "\",link=\"" + link
                + "\",server=\"" + src + "\"} 3.0\n"), metrics);
        String status = StatusCommandAccess.print("http://127.0.0.1:" + fleet.controller.httpPort());
        assertTrue(status.contains("RETENTION HELD BACK") && status.contains("held back by link " + link)
                && status.contains(": 3 snapshots, "), status);

        // Resumed, the target catches up and nothing is held back any more.
        assertEquals(200, post("/api/replication/links/" + encoded(link) + "/resume",
                "{\"operator\":\"tester\",\"reason\":\"maintenance over\"}").statusCode());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> heldOnDataset().isMissingNode() && linkAnswer().path("retentionHeldBack").isNull());
    }

    /** What the source dataset's answer says is held back (missing when nothing is). */
    private static JsonNode heldOnDataset() throws Exception {
        for (JsonNode d : JSON.readTree(get("/api/datasets?server=" + src).body())) {
            if (d.path("dataset").asText().equals(src + "/vm1")) {
                return d.path("retentionHeldBack").path(0);
            }
        }
        throw new AssertionError("the source dataset is not listed");
    }

    private static JsonNode linkAnswer() throws Exception {
        return JSON.readTree(get("/api/replication/links/" + encoded(link)).body());
    }

    /** The prune of {@code shortName} in the operations, with its reason. */
    private static String pruneReason(String shortName) throws Exception {
        for (JsonNode o : JSON.readTree(get("/api/operations?limit=200").body())) {
            if (o.path("description").asText().startsWith("destroy " + shortName + ":")) {
                return o.path("description").asText();
            }
        }
        throw new AssertionError("no prune of " + shortName + " among the operations");
    }

    private static void writeRandomFile(Path file, long seed) throws IOException {
        byte[] block = new byte[1 << 20];
        new Random(seed).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(block);
        }
        run("sync");
    }

    private static String encoded(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fleet.controller.httpPort() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fleet.controller.httpPort() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
