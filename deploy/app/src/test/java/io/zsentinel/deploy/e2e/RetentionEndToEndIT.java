package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.config.ConfigFiles;
import io.zsentinel.deploy.config.RetentionConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.zsentinel.deploy.e2e.Stack.run;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Usage-threshold pruning on a real zfs-fuse pool through the whole stack: a small pool is filled
 * past 70% by snapshots that each hold data of their own; zsentinel prunes the oldest of its
 * snapshots one by one until usage is back under the threshold — skipping the held one, the
 * foreign one and the newest.
 */
class RetentionEndToEndIT {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int FILE_MB = 32;

    @TempDir
    static Path dir;
    static Stack stack;
    static PoolName pool;
    static DatasetName vm1;

    @BeforeAll
    static void startEverything() {
        // Count rules keep everything (100 hourly); only the usage threshold prunes here.
        RetentionConfig retention = ConfigFiles.parse("""
                tickSeconds: 1
                policies:
                  - match: "*/vm*"
                    keep: { hourly: 100 }
                    usageThresholdPercent: 70
                """, "test-retention.yaml", RetentionConfig.class);
        stack = new Stack(dir, "ztr", 256L * 1024 * 1024, retention, c -> c);
        pool = stack.pool;
        vm1 = stack.vm1;
    }

    @AfterAll
    static void stopEverything() {
        stack.close();
    }

    @Test
    void theOldestZsentinelSnapshotsArePrunedUntilUsageIsUnderTheThresholdAndProtectedOnesStay() throws Exception {
        Path mnt = Path.of(run("zfs", "get", "-H", "-o", "value", "mountpoint", vm1.value()).strip());
        // Each snapshot holds one file of its own: written, snapshotted, deleted live.
        List<String> names = new ArrayList<>();
        names.add("manual-before");              // foreign: never pruned (policy keeps foreign snapshots)
        for (int hour = 1; hour <= 5; hour++) {
            names.add("zsentinel_hourly_2026-11-2" + hour + "T0" + hour + ":00:00Z");
        }
        String held = vm1 + "@" + names.get(1);  // the oldest zsentinel snapshot, held by an operator
        for (int i = 0; i < names.size(); i++) {
            writeRandomFile(mnt.resolve("f" + i), FILE_MB, i);
            run("zfs", "snapshot", vm1 + "@" + names.get(i));
            if (i == 1) {
                // Held at once, while the pool is far under 70%: held after the last write, a slow machine
                // let the controller prune it first (it was the oldest candidate) and the hold failed.
                run("zfs", "hold", "keep", held);
            }
            Files.delete(mnt.resolve("f" + i));
        }

        int before = capacity();
        assertTrue(before > 70, "the test needs the pool over 70% before pruning, was " + before + "%");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> capacity() <= 70);
        List<String> left = zfsSnapshots();
        assertTrue(left.contains(held), "the held snapshot stays: " + left);
        assertTrue(left.contains(vm1 + "@manual-before"), "the foreign snapshot stays: " + left);
        assertTrue(left.contains(vm1 + "@" + names.get(5)), "the newest stays: " + left);
        assertFalse(left.contains(vm1 + "@" + names.get(2)), "the oldest unprotected zsentinel snapshot went: " + left);
        // One 32 MB snapshot brings the pool under 70%: the next one must stay (no pruning on stale usage).
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(120))
                .until(() -> zfsSnapshots().contains(vm1 + "@" + names.get(3)));
        // Pruned oldest first: whatever went is a prefix of the zsentinel snapshots after the held one.
        List<String> candidates = names.subList(2, 5);
        boolean gap = false;
        for (String n : candidates) {
            boolean gone = !left.contains(vm1 + "@" + n);
            assertFalse(gap && gone, "pruned out of order: " + left);
            gap |= !gone;
        }
        // Every prune is a domain event with its reason, visible in the controller's events.
        JsonNode rows = snapshotsViaRest();
        assertEquals(left.size(), rows.size(), rows.toString());
        run("zfs", "release", "keep", held);
    }

    private static void writeRandomFile(Path file, int megabytes, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] block = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < megabytes; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        run("sync");
    }

    private static int capacity() throws Exception {
        return Integer.parseInt(run("zpool", "list", "-H", "-o", "capacity", pool.value()).strip().replace("%", ""));
    }

    private static List<String> zfsSnapshots() throws Exception {
        return run("zfs", "list", "-H", "-o", "name", "-t", "snapshot", "-r", vm1.value()).lines().toList();
    }

    private static JsonNode snapshotsViaRest() throws Exception {
        String encoded = java.net.URLEncoder.encode(vm1.value(), java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> r = stack.get("/api/datasets/" + encoded + "/snapshots");
        return JSON.readTree(r.body());
    }

}
