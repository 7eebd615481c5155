package io.zsentinel.replication.retention;

import io.zsentinel.core.values.Guid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dataset driven by a virtual clock, the way the Dataset aggregate will drive retention: at each tick,
 * take what is due (createtxg grows, guid is fresh), then destroy what the count rules expire.
 */
final class VirtualDataset {
    private final RetentionPolicy policy;
    private final List<RetainedSnapshot> snapshots = new ArrayList<>();
    private final Map<SnapshotClass, Instant> lastTaken = new EnumMap<>(SnapshotClass.class);
    private final Set<SnapshotSlot> everTaken = new HashSet<>();
    private final Map<SnapshotClass, Integer> takenPerClass = new EnumMap<>(SnapshotClass.class);
    private long txg = 1000;
    private long guid = 0x5eed_0000_0000L;

    VirtualDataset(RetentionPolicy policy) {
        this.policy = policy;
        for (SnapshotClass c : SnapshotClass.values()) {
            takenPerClass.put(c, 0);
        }
    }

    void tick(Instant now) {
        for (SnapshotSlot due : Schedule.due(policy, now, lastTaken)) {
            assertTrue(everTaken.add(due), "slot taken twice: " + due.shortName() + " at " + now);
            snapshots.add(Snapshots.snap(due.shortName(), ++guid, txg += 7));
            lastTaken.put(due.klass(), due.slot());
            takenPerClass.merge(due.klass(), 1, Integer::sum);
        }
        RetentionPlan plan = Retention.plan(policy, snapshots, Set.<Guid>of());
        assertEquals(List.of(), plan.blocked(), "the newest snapshot of the dataset is always one a class keeps");
        plan.destroy().forEach(e -> snapshots.remove(e.snapshot()));
        for (SnapshotClass c : SnapshotClass.values()) {
            long left = snapshots.stream().filter(s -> s.klass().orElse(null) == c).count();
            assertTrue(left <= policy.keep(c), c + ": " + left + " left at " + now + ", keeping " + policy.keep(c));
        }
    }

    /** Existing snapshots' short names, sorted (within a class, names sort like slots). */
    List<String> names() {
        return snapshots.stream().map(s -> s.name().shortName()).sorted().toList();
    }

    Map<SnapshotClass, Integer> takenPerClass() {
        Map<SnapshotClass, Integer> nonZero = new TreeMap<>();
        takenPerClass.forEach((c, n) -> {
            if (n > 0) {
                nonZero.put(c, n);
            }
        });
        return nonZero;
    }
}
