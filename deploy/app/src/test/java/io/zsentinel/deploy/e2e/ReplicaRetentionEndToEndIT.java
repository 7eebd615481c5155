package io.zsentinel.deploy.e2e;

import io.zsentinel.core.values.PoolName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static io.zsentinel.deploy.e2e.Fleet.snapshots;
import static io.zsentinel.deploy.e2e.Stack.run;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The offsite copy keeps fewer hourly snapshots than its source (its link's own {@code keep}), takes none
 * of its own, and keeps its newest (the link's base): real zfs-fuse pools, Kafka, PostgreSQL.
 */
class ReplicaRetentionEndToEndIT {
    private static final String[] HOURLY = {"zsentinel_hourly_2026-11-20T01:00:00Z", "zsentinel_hourly_2026-11-20T02:00:00Z",
            "zsentinel_hourly_2026-11-20T03:00:00Z", "zsentinel_hourly_2026-11-20T04:00:00Z"};

    @TempDir
    static Path dir;
    static Fleet fleet;
    static PoolName src;
    static PoolName dst;

    @BeforeAll
    static void start() {
        fleet = Fleet.start(dir, "zrr", 128L << 20, List.of("s", "d"), pools -> """
                retention:
                  tickSeconds: 1
                  policies:
                    - { match: "%s/**", keep: { hourly: 10 } }
                replication:
                  tickSeconds: 1
                  links:
                    - { match: "%s/vm*", targetServer: "%s", targetRoot: "%s", every: 1s, keep: { hourly: 2 } }
                """.formatted(pools.get(1), pools.get(0), pools.get(1), pools.get(1)));
        src = fleet.server(0);
        dst = fleet.server(1);
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void theCopyKeepsItsOwnCountTakesNothingAndKeepsItsNewest() throws Exception {
        String source = src + "/vm1";
        String copy = dst + "/vm1";
        run("zfs", "snapshot", source + "@" + HOURLY[0]);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> snapshots(copy).contains(HOURLY[0])); // the first transfer is a full stream of the newest
        for (int i = 1; i < HOURLY.length; i++) {
            run("zfs", "snapshot", source + "@" + HOURLY[i]);
        }
        // the next sends the rest with -I; the copy then keeps its newest 2 hourly (its link's keep), although the
        // retention rule matching its pool says 10 and would take snapshots there
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> snapshots(copy).equals(List.of(HOURLY[2], HOURLY[3])));
        assertEquals(Arrays.asList(HOURLY), snapshots(source), "the source has no policy: it keeps all");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(120))
                .until(() -> snapshots(copy).equals(List.of(HOURLY[2], HOURLY[3]))); // nothing of its own appears
    }
}
