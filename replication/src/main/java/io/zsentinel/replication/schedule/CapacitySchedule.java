package io.zsentinel.replication.schedule;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.PruneForCapacity;
import io.zsentinel.replication.retention.CapacityPruning;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotNaming;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Usage-threshold pruning of a pool, as rules: when a pool's reported capacity passes the threshold of its
 * datasets' policies, the pool's oldest candidate snapshots (createtxg is pool-wide, so it orders snapshots
 * across datasets) are offered to their datasets one by one until one prunes; the next offer waits until
 * the agent reported the destroy and then the pool's usage — never pruning on stale usage — or refused the
 * destroy, or {@link #GIVE_UP_AFTER}. Whether a snapshot may go is the Dataset aggregate's decision. Time
 * is passed in; not thread-safe (the runtime calls it from one tick at a time).
 */
public final class CapacitySchedule {
    /** A prune with no visible effect after this long is considered lost; the next tick tries again. */
    public static final Duration GIVE_UP_AFTER = Duration.ofMinutes(2);
    /** Offers per pool and tick: enough to step over protected snapshots, bounded so a tick stays cheap. */
    public static final int MAX_OFFERS_PER_TICK = 20;

    /** What to do about one pool now. */
    public sealed interface Step {
    }

    /** The pool is under the thresholds of its datasets' policies; {@code recovered}: it was stuck until now. */
    public record Under(boolean recovered) implements Step {
    }

    /** A previous prune's effect is not visible yet: nothing to offer. */
    public record Waiting() implements Step {
    }

    /**
     * Offer {@code candidates} in order, until one is accepted ({@link #accepted}) or none is
     * ({@link #nothingPruned}). {@code refusedByAgent}: the dataset whose previous prune the agent refused
     * just now (null when none), so the choice is made again.
     */
    public record Offer(List<Candidate> candidates, long position, DatasetId refusedByAgent) implements Step {
        public Offer {
            candidates = List.copyOf(candidates);
        }
    }

    /** A snapshot that may be offered, and the command that offers it. */
    public record Candidate(SnapshotName name, PruneForCapacity prune) {
        public Candidate {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(prune, "prune");
        }
    }

    private record InFlight(DatasetId dataset, Guid guid, Instant since, long position) {
    }

    private final PolicyConfiguration policies;
    private final ReplicationInventory inventory;
    private final PoolUsageSource usage;
    private final Map<String, InFlight> inFlight = new HashMap<>();
    private final Map<String, String> stuck = new HashMap<>();

    public CapacitySchedule(PolicyConfiguration policies, ReplicationInventory inventory, PoolUsageSource usage) {
        this.policies = policies;
        this.inventory = inventory;
        this.usage = usage;
    }

    /** What to do about the pool of {@code report} now. */
    public Step next(PoolUsageSource.Report report, Instant now) {
        String pool = key(report);
        List<DatasetId> over = datasetsOver(report);
        if (over.isEmpty()) {
            inFlight.remove(pool);
            return new Under(stuck.remove(pool) != null);
        }
        DatasetId refusedByAgent = null;
        InFlight f = inFlight.get(pool);
        if (f != null) {
            if (usage.destroyRefusedSince(report.server(), report.pool(), f.position())) {
                // e.g. held after the inventory it was chosen from: the agent's next report shows why; offer again
                inFlight.remove(pool);
                refusedByAgent = f.dataset();
            } else if (usage.reportedAfterDestroy(report.server(), report.pool(), f.guid())
                    || f.since().plus(GIVE_UP_AFTER).isBefore(now)) {
                inFlight.remove(pool);
                usage.forget(report.server(), f.guid()); // decide on usage measured after the prune (or give up)
            } else {
                return new Waiting();
            }
        }
        return new Offer(candidates(report, over, now), usage.position(), refusedByAgent);
    }

    /** The pool's candidate at {@code position} in the order of arrival was pruned: the next offer waits for its effect. */
    public void accepted(PoolUsageSource.Report report, Candidate candidate, long position, Instant now) {
        String pool = key(report);
        inFlight.put(pool, new InFlight(candidate.prune().id(), candidate.prune().guid(), now, position));
        stuck.remove(pool);
    }

    /**
     * No candidate was accepted ({@code refusals}: each one's reason): what the operator must do, to warn
     * once — empty when the pool was already stuck for the same reasons.
     */
    public Optional<String> nothingPruned(PoolUsageSource.Report report, List<String> refusals) {
        String why = "pool " + report.pool() + " on " + report.server() + " is at " + report.capacityPercent()
                + "% but nothing more can be pruned" + (refusals.isEmpty() ? " (no zsentinel snapshots left)"
                : ": " + String.join("; ", refusals)) + "; free space or release protected snapshots";
        return why.equals(stuck.put(key(report), why)) ? Optional.empty() : Optional.of(why);
    }

    private List<Candidate> candidates(PoolUsageSource.Report report, List<DatasetId> over, Instant now) {
        record Row(DatasetId dataset, SnapshotInfo snapshot) {
        }
        List<Row> rows = new ArrayList<>();
        for (DatasetId d : over) {
            RetentionPolicy policy = policies.policyFor(d).orElseThrow();
            List<SnapshotInfo> snapshots = inventory.snapshots(d);
            snapshots.stream().limit(Math.max(0, snapshots.size() - 1)) // never the newest of a dataset
                    .filter(s -> policy.pruneForeignSnapshots() || s.name().shortName().startsWith(SnapshotNaming.PREFIX))
                    .forEach(s -> rows.add(new Row(d, s)));
        }
        rows.sort(Comparator.comparingLong(r -> r.snapshot().createtxg()));
        return rows.subList(0, Math.min(MAX_OFFERS_PER_TICK, rows.size())).stream()
                .map(r -> new Candidate(r.snapshot().name(), new PruneForCapacity(r.dataset(), r.snapshot().guid(),
                        report.capacityPercent(), now)))
                .toList();
    }

    private List<DatasetId> datasetsOver(PoolUsageSource.Report report) {
        return inventory.datasets(report.server()).stream()
                .filter(d -> d.dataset().pool().equals(report.pool()))
                .filter(d -> policies.policyFor(d)
                        .filter(p -> CapacityPruning.isOverThreshold(p, report.capacityPercent())).isPresent())
                .toList();
    }

    private static String key(PoolUsageSource.Report report) {
        return report.server() + "/" + report.pool();
    }
}
