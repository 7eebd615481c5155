package io.zsentinel.deploy.retention;

import io.zsentinel.deploy.controller.ViewInventory;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.PruneDecision;
import io.zsentinel.replication.schedule.CapacitySchedule;
import io.zsentinel.replication.schedule.PoolUsageSource;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Usage-threshold pruning of each pool, as the {@link CapacitySchedule} decides it: offers the candidates it
 * chooses to their datasets one by one until one prunes, and says once when nothing more can be pruned. The
 * decisions are the schedule's and the Dataset aggregates'; this only sends, at the retention scheduler's tick.
 */
public final class CapacityWatcher {
    private static final Logger log = LoggerFactory.getLogger(CapacityWatcher.class);

    private final PoolUsage usage;
    private final CapacitySchedule schedule;
    private final CommandGateway commands;

    /** {@code policies}: shared with the {@link RetentionScheduler}, which refreshes them every tick. */
    public CapacityWatcher(RetentionPolicies policies, SnapshotInventoryView inventory, PoolUsage usage,
                           CommandGateway commands) {
        this.usage = usage;
        this.schedule = new CapacitySchedule(policies, new ViewInventory(inventory), usage);
        this.commands = commands;
    }

    synchronized void tick(Instant now) {
        for (PoolUsageSource.Report report : usage.reports()) {
            CapacitySchedule.Step step = schedule.next(report, now);
            if (step instanceof CapacitySchedule.Offer offer) {
                offer(report, offer, now);
            } else if (step instanceof CapacitySchedule.Under under && under.recovered()) {
                log.info("pool {} on {} is back under its usage threshold at {}%", report.pool(), report.server(),
                        report.capacityPercent());
            } // Waiting: the previous prune's effect is not visible yet
        }
    }

    private void offer(PoolUsageSource.Report report, CapacitySchedule.Offer offer, Instant now) {
        if (offer.refusedByAgent() != null) {
            log.info("the agent refused to prune {} on {}; choosing again", offer.refusedByAgent(), report.server());
        }
        List<String> refusals = new ArrayList<>();
        for (CapacitySchedule.Candidate candidate : offer.candidates()) {
            PruneDecision decision = commands.sendAndWait(candidate.prune());
            if (decision != null && decision.accepted()) {
                schedule.accepted(report, candidate, offer.position(), now);
                log.info("pruning {} on {} to free space: {}", candidate.name(), report.server(), decision.reason());
                return;
            }
            refusals.add(decision == null ? candidate.name() + ": no answer" : decision.reason());
        }
        schedule.nothingPruned(report, refusals).ifPresent(log::warn);
    }
}
