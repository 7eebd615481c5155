package io.zsentinel.deploy.replication;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.deploy.controller.Ticker;
import io.zsentinel.deploy.controller.ViewInventory;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.CheckStall;
import io.zsentinel.replication.api.link.LinkCommand;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.RetireLink;
import io.zsentinel.replication.schedule.ConfiguredLink;
import io.zsentinel.replication.schedule.LinkConfiguration;
import io.zsentinel.replication.schedule.LinkSchedule;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The controller's clock for replication: every tick, it sends the commands the {@link LinkSchedule} orders
 * for each configured link (establish once, plan, check for a stall) and retires the links no rule makes any
 * more. The decisions are the schedule's and the ReplicationLink aggregates'; this only ticks, reads the
 * clock and sends. Cost per tick: no zfs call at all (inventories come from the agents' reports), one
 * command per link.
 */
public final class LinkScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkScheduler.class);

    private final ReplicationConfig config;
    private final LinkSchedule schedule;
    private final Supplier<List<LinkId>> knownLinks;
    private final CommandGateway commands;
    private final Clock clock;
    private final Map<LinkId, String> failing = new HashMap<>();
    private final Ticker ticker = new Ticker("replication-ticker");

    /** {@code knownLinks}: the links the store knows (and still shows), to retire those no longer configured. */
    public LinkScheduler(ReplicationConfig config, SnapshotInventoryView inventory, ReportedInventory reported,
                         Supplier<List<LinkId>> knownLinks, CommandGateway commands, Clock clock) {
        this.config = config;
        this.schedule = new LinkSchedule(configured(config), new ViewInventory(inventory), reported);
        this.knownLinks = knownLinks;
        this.commands = commands;
        this.clock = clock;
    }

    /** The configuration as the schedule reads it: each rule's link for a source, in the rules' order. */
    static LinkConfiguration configured(ReplicationConfig config) {
        return source -> config.links().stream()
                .flatMap(rule -> rule.linkFor(source.server(), source.dataset())
                        .map(link -> new ConfiguredLink(link, rule.interval())).stream())
                .toList();
    }

    public LinkScheduler start() {
        ticker.every(java.time.Duration.ofSeconds(config.tickSeconds()), this::tick);
        log.info("replication: {} link rules, planned every {} s", config.links().size(), config.tickSeconds());
        return this;
    }

    public synchronized void tick() {
        Instant now = clock.instant();
        for (ConfiguredLink link : schedule.linksToPlan()) {
            plan(link, now, null);
        }
        for (RetireLink retire : schedule.retirements(knownLinks.get(), now)) {
            try {
                commands.sendAndWait(retire);
                schedule.retired(retire.linkId());
            } catch (RuntimeException e) {
                log.warn("could not retire link {}: {}", retire.linkId(), e.getMessage());
            }
        }
    }

    /**
     * A new snapshot on a source dataset: plan its links now rather than at the next tick, so a
     * transfer starts within moments of the snapshot. The view may not show the snapshot yet, so the
     * new one is added to the source side.
     */
    public synchronized void snapshotRecorded(DatasetId dataset, SnapshotInfo snapshot) {
        Instant now = clock.instant();
        for (ConfiguredLink link : schedule.linksFrom(dataset)) {
            plan(link, now, snapshot);
        }
    }

    private void plan(ConfiguredLink configured, Instant now, SnapshotInfo justRecorded) {
        LinkId link = configured.link();
        try {
            List<LinkCommand> orders = schedule.orders(configured, now, justRecorded);
            for (LinkCommand order : orders) {
                commands.sendAndWait(order);
            }
            boolean planned = orders.stream().anyMatch(CheckStall.class::isInstance);
            if (planned && failing.remove(link) != null) {
                log.info("planning of link {} works again", link);
            }
        } catch (RuntimeException e) {
            schedule.failed(link); // re-establishing is idempotent: retried next tick
            if (!String.valueOf(e.getMessage()).equals(failing.put(link, String.valueOf(e.getMessage())))) {
                log.warn("planning of link {} failed: {}", link, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        ticker.close();
    }
}
