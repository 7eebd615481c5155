package io.zsentinel.deploy.retention;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.RetentionConfig;
import io.zsentinel.projections.inventory.DatasetSummary;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.AssignRetentionPolicy;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.EvaluateRetention;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.deploy.controller.Ticker;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The controller's clock for retention: every tick it gives each known dataset its configured policy
 * (only when it changed) and asks it to evaluate what is due and what expired, then lets the
 * {@link CapacityWatcher} look at pool usage. The decisions are the aggregates'; this only ticks.
 */
public final class RetentionScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionScheduler.class);

    private final RetentionConfig config;
    private final RetentionPolicies policies;
    private final SnapshotInventoryView inventory;
    private final CommandGateway commands;
    private final CapacityWatcher capacity;
    private final Clock clock;
    private final Map<DatasetId, Optional<RetentionPolicy>> assigned = new HashMap<>();
    private final Map<DatasetId, String> failing = new HashMap<>();
    private final Ticker ticker = new Ticker("retention-ticker");

    /** {@code policies}: also the capacity watcher's; refreshed here at every tick. */
    public RetentionScheduler(RetentionConfig config, RetentionPolicies policies, SnapshotInventoryView inventory,
                              CommandGateway commands, CapacityWatcher capacity, Clock clock) {
        this.config = config;
        this.policies = policies;
        this.inventory = inventory;
        this.commands = commands;
        this.capacity = capacity;
        this.clock = clock;
    }

    public RetentionScheduler start() {
        ticker.every(java.time.Duration.ofSeconds(config.tickSeconds()), this::tick);
        log.info("retention: {} policies, evaluated every {} s", config.policies().size(), config.tickSeconds());
        return this;
    }

    /** One evaluation of every dataset and every pool; public so tests drive time themselves. */
    public synchronized void tick() {
        Instant now = clock.instant();
        List<DatasetSummary> datasets = inventory.datasets();
        policies.refresh(datasets);
        for (DatasetSummary d : datasets) {
            DatasetId id = new DatasetId(d.server(), d.dataset());
            Optional<RetentionPolicy> policy = policyFor(d.server(), d.dataset());
            try {
                if (!Objects.equals(assigned.get(id), policy)) {
                    commands.sendAndWait(new AssignRetentionPolicy(id, policy.orElse(null), now));
                    assigned.put(id, policy);
                }
                if (policy.isPresent()) {
                    commands.sendAndWait(new EvaluateRetention(id, now));
                }
                if (failing.remove(id) != null) {
                    log.info("retention of {} works again", id);
                }
            } catch (RuntimeException e) {
                if (!e.toString().equals(failing.put(id, e.toString()))) {
                    log.warn("retention of {} failed: {}", id, e.getMessage());
                }
            }
        }
        capacity.tick(now);
    }

    Optional<RetentionPolicy> policyFor(ServerId server, DatasetName dataset) {
        return policies.forDataset(server, dataset);
    }

    @Override
    public void close() {
        ticker.close();
    }
}
