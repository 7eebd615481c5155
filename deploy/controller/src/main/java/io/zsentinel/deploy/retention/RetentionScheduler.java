package io.zsentinel.deploy.retention;

import io.zsentinel.deploy.config.RetentionConfig;
import io.zsentinel.deploy.controller.CommandBatch;
import io.zsentinel.deploy.controller.Ticker;
import io.zsentinel.deploy.controller.ViewInventory;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.DatasetCommand;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.schedule.ReplicationInventory;
import io.zsentinel.replication.schedule.RetentionSchedule;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The controller's clock for retention: every tick it sends what the {@link RetentionSchedule} orders for
 * each known dataset (its configured policy when it changed; an evaluation of what is due and what expired
 * when a slot fell due or the dataset changed), {@link #IN_FLIGHT} datasets at a time, then lets the
 * {@link CapacityWatcher} look at pool usage. The decisions are the schedule's and the aggregates'; this only
 * ticks, reads the clock and sends.
 */
public final class RetentionScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionScheduler.class);
    /**
     * Datasets whose commands are under way at once during a tick: each command is an aggregate load and a
     * transaction, and the store's pool (10 connections) also serves the event processors, the consumer of
     * agent facts and the other ticker.
     */
    static final int IN_FLIGHT = 2;

    private final RetentionConfig config;
    private final RetentionPolicies policies;
    private final ReplicationInventory inventory;
    private final RetentionSchedule schedule;
    private final CommandGateway commands;
    private final CapacityWatcher capacity;
    private final Clock clock;
    private final Map<DatasetId, String> failing = new HashMap<>();
    private final Ticker ticker = new Ticker("retention-ticker");
    private final CommandBatch batch = new CommandBatch("retention-evaluator", IN_FLIGHT);

    /** {@code policies}: also the capacity watcher's; refreshed here at every tick. */
    public RetentionScheduler(RetentionConfig config, RetentionPolicies policies, SnapshotInventoryView inventory,
                              CommandGateway commands, CapacityWatcher capacity, Clock clock) {
        this.config = config;
        this.policies = policies;
        this.inventory = new ViewInventory(inventory);
        this.schedule = new RetentionSchedule(policies, this.inventory);
        this.commands = commands;
        this.capacity = capacity;
        this.clock = clock;
    }

    public RetentionScheduler start() {
        ticker.every(java.time.Duration.ofSeconds(config.tickSeconds()), this::tick);
        log.info("retention: {} policies, evaluated every {} s", config.policies().size(), config.tickSeconds());
        return this;
    }

    /** One look at every dataset and every pool; public so tests drive time themselves. */
    public synchronized void tick() {
        Instant now = clock.instant();
        List<DatasetId> datasets = inventory.datasets();
        policies.refresh(datasets);
        Map<DatasetId, List<DatasetCommand>> orders = new LinkedHashMap<>();
        for (DatasetId id : datasets) {
            List<DatasetCommand> datasetOrders = schedule.orders(id, now);
            if (!datasetOrders.isEmpty()) {
                orders.put(id, datasetOrders);
            }
        }
        for (CommandBatch.Outcome<DatasetId> outcome : batch.send(commands, orders)) {
            DatasetId id = outcome.key();
            orders.get(id).subList(0, outcome.results().size()).forEach(schedule::accepted);
            RuntimeException e = outcome.failure();
            if (e == null) {
                if (failing.remove(id) != null) {
                    log.info("retention of {} works again", id);
                }
            } else if (!e.toString().equals(failing.put(id, e.toString()))) {
                log.warn("retention of {} failed: {}", id, e.getMessage());
            }
        }
        capacity.tick(now);
    }

    @Override
    public void close() {
        ticker.close();
        batch.close();
    }
}
