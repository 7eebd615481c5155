package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.Guid;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How one dataset's snapshots relate, the rules the controller's planner and the agent's pre-flight check
 * share: identity is the guid (names are labels), and each side is ordered by its own createtxg (txgs count
 * per pool, so a source txg is never compared with a target's).
 */
public final class SnapshotLineage {
    /** Oldest first; snapshots of one txg (taken in the same sync) by creation time, then name, so every plan agrees. */
    public static final Comparator<SnapshotInfo> OLDEST_FIRST = Comparator.comparingLong(SnapshotInfo::createtxg)
            .thenComparing(SnapshotInfo::created).thenComparing(s -> s.name().full());

    private SnapshotLineage() {
    }

    /** The newest of one side's snapshots. */
    public static Optional<SnapshotInfo> newest(List<SnapshotInfo> side) {
        return side.stream().max(OLDEST_FIRST);
    }

    /** The newest snapshot (by source createtxg) whose guid also exists on the target; the source's copy. */
    public static Optional<SnapshotInfo> commonBase(List<SnapshotInfo> source, List<SnapshotInfo> target) {
        Set<Guid> onTarget = guids(target);
        return source.stream().filter(s -> onTarget.contains(s.guid())).max(OLDEST_FIRST);
    }

    public static Set<Guid> guids(List<SnapshotInfo> snapshots) {
        return snapshots.stream().map(SnapshotInfo::guid).collect(Collectors.toSet());
    }
}
