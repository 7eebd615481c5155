package io.zsentinel.replication.retention;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.zsentinel.replication.retention.Snapshots.snap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapacityPruningTest {
    static final RetentionPolicy POLICY = RetentionPolicy.defaults(); // threshold 70%, foreign snapshots spared

    // Taken in createtxg order 10, 20, 30, 40 — but a skewed clock gave the second one the oldest slot
    static final RetainedSnapshot FIRST = snap("zsentinel_daily_2026-11-20T00:00:00Z", 1, 10);
    static final RetainedSnapshot SKEWED = snap("zsentinel_daily_2026-11-01T00:00:00Z", 2, 20);
    static final RetainedSnapshot THIRD = snap("zsentinel_weekly_2026-11-23T00:00:00Z", 3, 30);
    static final RetainedSnapshot NEWEST = snap("zsentinel_daily_2026-11-24T00:00:00Z", 4, 40);

    static String reason(long createtxg) {
        return "pruned to free space: pool usage over 70% of capacity, oldest prunable snapshot (createtxg " + createtxg + ")";
    }

    @Test
    void pruningStartsOverTheThresholdNotAtIt() {
        assertFalse(CapacityPruning.isOverThreshold(POLICY, 70));
        assertTrue(CapacityPruning.isOverThreshold(POLICY, 71));
    }

    @Test
    void theVictimIsTheLowestCreatetxgWhateverTheNamesSay() {
        assertEquals(Optional.of(new Expiry(FIRST, reason(10))),
                CapacityPruning.nextVictim(POLICY, List.of(NEWEST, SKEWED, THIRD, FIRST), Set.of()));
        assertEquals(Optional.of(new Expiry(SKEWED, reason(20))),
                CapacityPruning.nextVictim(POLICY, List.of(NEWEST, SKEWED, THIRD), Set.of()));
    }

    @Test
    void protectedSnapshotsAreSkipped() {
        assertEquals(Optional.of(new Expiry(THIRD, reason(30))),
                CapacityPruning.nextVictim(POLICY, List.of(FIRST, SKEWED, THIRD, NEWEST), Set.of(FIRST.guid(), SKEWED.guid())));
    }

    @Test
    void theNewestOfTheDatasetIsNeverPruned() {
        assertEquals(Optional.empty(), CapacityPruning.nextVictim(POLICY, List.of(NEWEST), Set.of()));
        assertEquals(Optional.empty(), CapacityPruning.nextVictim(POLICY, List.of(THIRD, NEWEST), Set.of(THIRD.guid())));
        assertEquals(Optional.empty(), CapacityPruning.nextVictim(POLICY, List.of(), Set.of()));
    }

    @Test
    void foreignSnapshotsArePrunedOnlyWhenThePolicyAllowsIt() {
        RetainedSnapshot manual = snap("before-upgrade", 9, 5);
        assertEquals(Optional.of(new Expiry(FIRST, reason(10))),
                CapacityPruning.nextVictim(POLICY, List.of(manual, FIRST, NEWEST), Set.of()));
        assertEquals(Optional.empty(), CapacityPruning.nextVictim(POLICY, List.of(manual, NEWEST), Set.of()));
        assertEquals(Optional.of(new Expiry(manual, reason(5))),
                CapacityPruning.nextVictim(POLICY.withPruneForeignSnapshots(true), List.of(FIRST, manual, NEWEST), Set.of()));
    }

    @Test
    void oneVictimAtATimeDrainsTheDatasetDownToTheNewest() {
        List<RetainedSnapshot> left = new ArrayList<>(List.of(NEWEST, THIRD, SKEWED, FIRST));
        List<String> pruned = new ArrayList<>();
        Optional<Expiry> victim;
        while ((victim = CapacityPruning.nextVictim(POLICY, left, Set.of())).isPresent()) {
            left.remove(victim.get().snapshot());
            pruned.add(victim.get().snapshot().name().shortName());
        }
        assertEquals(List.of("zsentinel_daily_2026-11-20T00:00:00Z", "zsentinel_daily_2026-11-01T00:00:00Z",
                "zsentinel_weekly_2026-11-23T00:00:00Z"), pruned);
        assertEquals(List.of(NEWEST), left);
    }
}
