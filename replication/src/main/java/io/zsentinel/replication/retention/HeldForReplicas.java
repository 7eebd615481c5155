package io.zsentinel.replication.retention;

import io.zsentinel.core.values.Guid;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Snapshots the count rules expire but keep because a replication link's target has not received them
 * yet (they are newer than the link's common base): retention held back by that link. Bounded by
 * {@link RetentionPolicy#maxHeldForReplicas()} (and {@link RetentionPolicy#maxHeldForReplicasDays()} if set):
 * past it, the oldest of them expire anyway and the links
 * that have not received them skip them (their next transfer goes from their common base, never pruned).
 */
public final class HeldForReplicas {
    private HeldForReplicas() {
    }

    /**
     * What one link holds back: its base, the expired snapshots newer than it (oldest first), and since
     * when — the slot of the snapshot that first pushed one of them past its class's count.
     */
    public record Hold(String holder, RetainedSnapshot base, List<RetainedSnapshot> snapshots, Instant since) {
        public Hold {
            Objects.requireNonNull(holder, "holder");
            Objects.requireNonNull(base, "base");
            snapshots = List.copyOf(snapshots);
            Objects.requireNonNull(since, "since");
            if (snapshots.isEmpty()) {
                throw new IllegalArgumentException("a hold of " + holder + " holds at least one snapshot");
            }
        }
    }

    /**
     * Per link (by holder name, ordered), what it holds back; links holding nothing are left out.
     * {@code bases}: each link's common base on this dataset; {@code keptAnyway}: guids kept for their own
     * sake (held in ZFS, checkpoints), which no link is to blame for.
     */
    public static List<Hold> holds(RetentionPolicy policy, List<RetainedSnapshot> snapshots, Map<String, Guid> bases,
                                   Set<Guid> keptAnyway) {
        Map<Guid, RetainedSnapshot> byGuid = new HashMap<>();
        snapshots.forEach(s -> byGuid.put(s.guid(), s));
        OptionalLong newest = snapshots.stream().mapToLong(RetainedSnapshot::createtxg).max();
        Map<Guid, Instant> expiredSince = expiredSince(policy, snapshots);
        List<Hold> holds = new ArrayList<>();
        new TreeMap<>(bases).forEach((holder, baseGuid) -> {
            RetainedSnapshot base = byGuid.get(baseGuid);
            if (base == null) {
                return; // the base is not (or no longer) on the source: nothing is held for it here
            }
            List<RetainedSnapshot> held = snapshots.stream()
                    .filter(s -> expiredSince.containsKey(s.guid()))
                    .filter(s -> s.createtxg() > base.createtxg() && s.createtxg() < newest.orElse(Long.MIN_VALUE))
                    .filter(s -> !keptAnyway.contains(s.guid()) && !bases.containsValue(s.guid()))
                    .sorted(Retention.OLDEST_FIRST)
                    .toList();
            held.stream().map(s -> expiredSince.get(s.guid())).min(Comparator.naturalOrder())
                    .ifPresent(since -> holds.add(new Hold(holder, base, held, since)));
        });
        return holds;
    }

    /**
     * The held snapshots beyond the policy's limit, oldest first: all holds together (they nest, so this
     * is the most-behind link's) minus the newest {@code maxHeldForReplicas}.
     */
    public static List<RetainedSnapshot> beyondLimit(RetentionPolicy policy, List<Hold> holds) {
        List<RetainedSnapshot> all = held(holds);
        return all.subList(0, Math.max(0, all.size() - policy.maxHeldForReplicas()));
    }

    /**
     * The held snapshots that went past their class's count more than the policy's
     * {@code maxHeldForReplicasDays} before {@code now}, oldest first; none when the policy sets no age limit.
     */
    public static List<RetainedSnapshot> heldTooLong(RetentionPolicy policy, List<RetainedSnapshot> snapshots,
                                                     List<Hold> holds, Instant now) {
        if (policy.maxHeldForReplicasDays() == 0) {
            return List.of();
        }
        Instant cutoff = now.minus(Duration.ofDays(policy.maxHeldForReplicasDays()));
        Map<Guid, Instant> since = expiredSince(policy, snapshots);
        return held(holds).stream().filter(s -> since.get(s.guid()).isBefore(cutoff)).toList();
    }

    /** Every held snapshot once (holds nest), oldest first. */
    private static List<RetainedSnapshot> held(List<Hold> holds) {
        return holds.stream().flatMap(h -> h.snapshots().stream())
                .collect(Collectors.toMap(RetainedSnapshot::guid, s -> s, (a, b) -> a))
                .values().stream().sorted(Retention.OLDEST_FIRST).toList();
    }

    /**
     * When each expired snapshot expired: the slot of the snapshot that pushed it past its class's
     * count (the keep-th newer one of its class), or its own slot when its class is switched off.
     */
    private static Map<Guid, Instant> expiredSince(RetentionPolicy policy, List<RetainedSnapshot> snapshots) {
        Map<Guid, Instant> since = new HashMap<>();
        for (SnapshotClass klass : SnapshotClass.values()) {
            int keep = policy.keep(klass);
            List<RetainedSnapshot> newestFirst = snapshots.stream()
                    .filter(s -> s.klass().filter(klass::equals).isPresent())
                    .sorted(Retention.NEWEST_FIRST).toList();
            for (int i = keep; i < newestFirst.size(); i++) {
                since.put(newestFirst.get(i).guid(), newestFirst.get(i - keep).slot().orElseThrow());
            }
        }
        return since;
    }
}
