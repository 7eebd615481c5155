package io.zsentinel.deploy.retention;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.projections.inventory.DatasetSummary;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.inventory.SnapshotRow;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.PruneDecision;
import io.zsentinel.replication.api.PruneForCapacity;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotNaming;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Usage-threshold pruning of a pool: when a pool's reported capacity passes the threshold of its
 * datasets' policies, the pool's oldest candidate snapshot (createtxg is pool-wide, so it orders
 * snapshots across datasets) is offered to its dataset, which prunes it or says why not; the next
 * candidate is offered only after the agent reported the destroy and then the pool's usage — one by
 * one, re-checking capacity, never pruning on stale usage.
 */
public final class CapacityWatcher {
    private static final Logger log = LoggerFactory.getLogger(CapacityWatcher.class);
    /** A prune with no visible effect after this long is considered lost; the next tick tries again. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(2);
    /** Offers per pool and tick: enough to step over protected snapshots, bounded so a tick stays cheap. */
    static final int MAX_OFFERS_PER_TICK = 20;

    private record InFlight(DatasetId dataset, Guid guid, Instant since, long position) {
    }

    private final RetentionPolicies policies;
    private final SnapshotInventoryView inventory;
    private final PoolUsage usage;
    private final CommandGateway commands;
    private final Map<String, InFlight> inFlight = new HashMap<>();
    private final Map<String, String> stuck = new HashMap<>();

    /** {@code policies}: shared with the {@link RetentionScheduler}, which refreshes them every tick. */
    public CapacityWatcher(RetentionPolicies policies, SnapshotInventoryView inventory, PoolUsage usage,
                           CommandGateway commands) {
        this.policies = policies;
        this.inventory = inventory;
        this.usage = usage;
        this.commands = commands;
    }

    synchronized void tick(Instant now) {
        for (PoolUsage.Report report : usage.reports()) {
            String pool = report.server() + "/" + report.pool();
            List<DatasetSummary> over = datasetsOver(report);
            if (over.isEmpty()) {
                inFlight.remove(pool);
                if (stuck.remove(pool) != null) {
                    log.info("pool {} on {} is back under its usage threshold at {}%", report.pool(), report.server(),
                            report.capacityPercent());
                }
                continue;
            }
            if (waitingForPreviousPrune(pool, report, now)) {
                continue;
            }
            offerOldest(pool, report, over, now);
        }
    }

    private boolean waitingForPreviousPrune(String pool, PoolUsage.Report report, Instant now) {
        InFlight f = inFlight.get(pool);
        if (f == null) {
            return false;
        }
        if (usage.destroyRefusedSince(report.server(), report.pool(), f.position())) {
            // e.g. held after the inventory it was chosen from: the agent's next report shows why; offer again
            inFlight.remove(pool);
            log.info("the agent refused to prune {} on {}; choosing again", f.dataset(), report.server());
            return false;
        }
        if (usage.reportedAfterDestroy(report.server(), report.pool(), f.guid())
                || f.since().plus(GIVE_UP_AFTER).isBefore(now)) {
            inFlight.remove(pool);
            usage.forget(report.server(), f.guid());
            return false; // decide on usage measured after the prune (or give up waiting on a lost one)
        }
        return true;
    }

    private void offerOldest(String pool, PoolUsage.Report report, List<DatasetSummary> over, Instant now) {
        List<SnapshotRow> candidates = new ArrayList<>();
        for (DatasetSummary d : over) {
            RetentionPolicy policy = policy(d.server(), d.dataset()).orElseThrow();
            List<SnapshotRow> rows = inventory.snapshots(d.dataset(), Optional.of(d.server()));
            rows.stream().limit(Math.max(0, rows.size() - 1)) // never the newest of a dataset
                    .filter(s -> policy.pruneForeignSnapshots() || s.shortName().startsWith(SnapshotNaming.PREFIX))
                    .forEach(candidates::add);
        }
        candidates.sort(Comparator.comparingLong(SnapshotRow::createtxg));
        List<String> refusals = new ArrayList<>();
        long position = usage.position();
        for (SnapshotRow s : candidates.subList(0, Math.min(MAX_OFFERS_PER_TICK, candidates.size()))) {
            DatasetId id = new DatasetId(s.server(), s.dataset());
            PruneDecision decision = commands.sendAndWait(new PruneForCapacity(id, Guid.parse(s.guid()),
                    report.capacityPercent(), now));
            if (decision != null && decision.accepted()) {
                inFlight.put(pool, new InFlight(id, Guid.parse(s.guid()), now, position));
                stuck.remove(pool);
                log.info("pruning {} on {} to free space: {}", s.name(), s.server(), decision.reason());
                return;
            }
            refusals.add(decision == null ? s.name() + ": no answer" : decision.reason());
        }
        String why = "pool " + report.pool() + " on " + report.server() + " is at " + report.capacityPercent()
                + "% but nothing more can be pruned" + (refusals.isEmpty() ? " (no zsentinel snapshots left)"
                : ": " + String.join("; ", refusals)) + "; free space or release protected snapshots";
        if (!why.equals(stuck.put(pool, why))) {
            log.warn(why);
        }
    }

    private List<DatasetSummary> datasetsOver(PoolUsage.Report report) {
        return inventory.datasets(Optional.of(report.server())).stream()
                .filter(d -> d.dataset().pool().equals(report.pool()))
                .filter(d -> policy(d.server(), d.dataset())
                        .filter(p -> report.capacityPercent() > p.usageThresholdPercent()).isPresent())
                .toList();
    }

    private Optional<RetentionPolicy> policy(ServerId server, DatasetName dataset) {
        return policies.forDataset(server, dataset);
    }
}
