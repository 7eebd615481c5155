package io.zsentinel.deploy.replication;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.deploy.controller.CommandBatch;
import io.zsentinel.deploy.controller.OneTransaction;
import io.zsentinel.deploy.controller.Ticker;
import io.zsentinel.deploy.controller.ViewInventory;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.RejoinCompleted;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.link.EstablishAndPlan;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkCommand;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.PauseLink;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.RetireLink;
import io.zsentinel.replication.api.link.SyncNow;
import io.zsentinel.replication.schedule.ConfiguredLink;
import io.zsentinel.replication.schedule.LinkConfiguration;
import io.zsentinel.replication.schedule.LinkSchedule;
import io.zsentinel.replication.schedule.LinkVersions;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The controller's clock for replication: every tick, it sends the commands the {@link LinkSchedule} orders
 * for each configured link whose inputs changed or that is due by time (establish once, plan, check for a
 * stall), and retires the links no rule makes any more. The decisions are the schedule's and the
 * ReplicationLink aggregates'; this only ticks, reads the clock and sends. Cost per tick: no zfs call at all
 * (inventories come from the agents' reports), a few lookups per link, and commands only for the links to
 * plan, {@link #IN_FLIGHT} transactions of up to {@link #LINKS_PER_TRANSACTION} links at a time (the first pass
 * after a start establishes and plans every link). After a failover the links are the configured ones as
 * {@link FailoverLinks} re-plans them: the failed primary's paused (once per run; a pause is idempotent), the new
 * primary's to the remaining targets established and planned like any other.
 */
public final class LinkScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkScheduler.class);
    /** Who the link's record names for the syncs the controller orders itself (a switchover's final send). */
    private static final Operator CONTROLLER = new Operator("zsentinel");
    /**
     * Transactions of {@link #LINKS_PER_TRANSACTION} links (without one: links) under way at once during a tick: the
     * store's pool (10 connections) also serves the event processors, the consumers of agent facts and the other ticker.
     */
    static final int IN_FLIGHT = 2;
    /**
     * Links whose commands share one transaction (when the scheduler has one): one commit and no read for the links
     * they establish, instead of a transaction per command and two reads per new link.
     */
    static final int LINKS_PER_TRANSACTION = 100;

    private final ReplicationConfig config;
    private final LinkSchedule schedule;
    private final Supplier<List<LinkId>> knownLinks;
    private final CommandGateway commands;
    private final Clock clock;
    private final Map<LinkId, String> failing = new HashMap<>();
    private final ServiceSwitches switches;
    private final FailoverLinks relinks;
    /** The superseded links paused in this run, and for which failover. */
    private final Map<LinkId, FailoverId> paused = new HashMap<>();
    private final Ticker ticker = new Ticker("replication-ticker");
    private final CommandBatch batch = new CommandBatch("replication-planner", IN_FLIGHT);
    /** Null: each command in a transaction of its own. */
    private final OneTransaction transaction;
    /** Whether the views it plans on are rebuilt ({@link #start(BooleanSupplier)}). */
    private volatile BooleanSupplier viewsRebuilt = () -> true;

    /**
     * {@code knownLinks}: the links the store knows (and still shows), to retire those no longer configured;
     * {@code linkVersions}: what changes with each of a link's events (the link view's).
     */
    public LinkScheduler(ReplicationConfig config, SnapshotInventoryView inventory, ReportedInventory reported,
                         Supplier<List<LinkId>> knownLinks, LinkVersions linkVersions, CommandGateway commands,
                         Clock clock) {
        this(config, inventory, reported, knownLinks, linkVersions, commands, null, clock);
    }

    /**
     * {@code transaction}: a tick's links go {@link #LINKS_PER_TRANSACTION} at a time in one transaction (a link it
     * establishes is created without a read); null: each command in a transaction of its own.
     */
    public LinkScheduler(ReplicationConfig config, SnapshotInventoryView inventory, ReportedInventory reported,
                         Supplier<List<LinkId>> knownLinks, LinkVersions linkVersions, CommandGateway commands,
                         OneTransaction transaction, Clock clock) {
        this(config, inventory, reported, knownLinks, linkVersions, commands, transaction, new ServiceSwitches(), clock);
    }

    /** {@code switches}: the services' switches the store holds, which re-plan the links ({@link FailoverLinks}). */
    public LinkScheduler(ReplicationConfig config, SnapshotInventoryView inventory, ReportedInventory reported,
                         Supplier<List<LinkId>> knownLinks, LinkVersions linkVersions, CommandGateway commands,
                         OneTransaction transaction, ServiceSwitches switches, Clock clock) {
        this.transaction = transaction;
        this.config = config;
        this.switches = switches;
        this.relinks = FailoverLinks.of(config, switches);
        this.schedule = new LinkSchedule(relinks, new ViewInventory(inventory), reported, linkVersions);
        this.knownLinks = knownLinks;
        this.commands = commands;
        this.clock = clock;
    }

    /**
     * The configuration as the schedule reads it: each rule's link for a source, in the rules' order; worked out
     * once per source (the configuration does not change while the controller runs), not at every tick.
     */
    static LinkConfiguration configured(ReplicationConfig config) {
        Map<DatasetId, List<ConfiguredLink>> bySource = new ConcurrentHashMap<>();
        return source -> bySource.computeIfAbsent(source, s -> config.links().stream()
                .flatMap(rule -> rule.linkFor(s.server(), s.dataset())
                        .map(link -> new ConfiguredLink(link, rule.interval())).stream())
                .toList());
    }

    public LinkScheduler start() {
        return start(() -> true);
    }

    /**
     * Ticks once {@code viewsRebuilt} says the views it plans on are (at a start, the views are rebuilt from the
     * store: a link planned on a half-read inventory would be planned again and again as it fills, or order a
     * transfer the full inventory would not). The first pass then plans every link once.
     */
    public LinkScheduler start(BooleanSupplier viewsRebuilt) {
        this.viewsRebuilt = viewsRebuilt;
        ticker.every(java.time.Duration.ofSeconds(config.tickSeconds()), () -> {
            if (viewsRebuilt.getAsBoolean()) {
                tick();
            }
        });
        log.info("replication: {} link rules, planned every {} s", config.links().size(), config.tickSeconds());
        return this;
    }

    public synchronized void tick() {
        Instant now = clock.instant();
        Map<LinkId, List<LinkCommand>> orders = new LinkedHashMap<>();
        for (ConfiguredLink link : schedule.linksToPlan(now)) {
            List<LinkCommand> linkOrders = orders(link, now, null);
            if (linkOrders != null && !linkOrders.isEmpty()) {
                orders.put(link.link(), linkOrders);
            }
        }
        List<CommandBatch.Outcome<LinkId>> outcomes = transaction == null ? batch.send(commands, orders)
                : batch.send(commands, orders, transaction, LINKS_PER_TRANSACTION,
                        link -> establishes(orders.get(link)) ? link.toString() : null);
        for (CommandBatch.Outcome<LinkId> outcome : outcomes) {
            settle(outcome.key(), orders.get(outcome.key()), outcome.results(), outcome.failure(), now);
        }
        List<LinkId> known = knownLinks.get();
        pauseSuperseded(known, now);
        for (RetireLink retire : schedule.retirements(known, now)) {
            try {
                commands.sendAndWait(retire);
                schedule.retired(retire.linkId());
            } catch (RuntimeException e) {
                log.warn("could not retire link {}: {}", retire.linkId(), e.getMessage());
            }
        }
    }

    /**
     * A failover switched a service: its links are re-planned now rather than at the next tick (the former primary's
     * paused, the new primary's established and planned). Nothing while the views are being rebuilt at a start: the
     * switch is among the history they read, and the first pass after that re-plans every link.
     */
    public void serviceSwitched(ServiceSwitched e) {
        if (!viewsRebuilt.getAsBoolean()) {
            return;
        }
        switches.on(e);
        log.info("replication follows service {} from {} to {} (failover {}, generation {})", e.service(), e.from(),
                e.to(), e.failover(), e.generation());
        tick();
    }

    /** A former primary rejoined: the new primary's links to it are established and planned now. */
    public void rejoined(RejoinCompleted e) {
        if (!viewsRebuilt.getAsBoolean()) {
            return;
        }
        switches.on(e);
        log.info("replication from {} to the rejoined {} of service {} (generation {})", e.newPrimary(), e.server(),
                e.service(), e.generation());
        tick();
    }

    /** Pauses each known link whose source a failover superseded, once per run and failover. */
    private void pauseSuperseded(List<LinkId> known, Instant now) {
        for (PauseLink pause : relinks.pauses(known, now)) {
            FailoverId failover = relinks.supersededBy(pause.linkId().source()).map(ServiceSwitched::failover).orElseThrow();
            if (failover.equals(paused.get(pause.linkId()))) {
                continue;
            }
            try {
                commands.sendAndWait(pause);
                paused.put(pause.linkId(), failover);
                log.info("link {} paused (once per run while failover {} stands): {}", pause.linkId(), failover,
                        pause.reason());
            } catch (RuntimeException e) {
                log.warn("could not pause link {} after failover {}: {}", pause.linkId(), failover, e.getMessage());
            }
        }
    }

    /**
     * A new snapshot on a source dataset: plan its links now rather than at the next tick, so a
     * transfer starts within moments of the snapshot. The view may not show the snapshot yet, so the
     * new one is added to the source side. Nothing while the views are being rebuilt at a start: the first pass
     * after that plans every link anyway.
     */
    public synchronized void snapshotRecorded(DatasetId dataset, SnapshotInfo snapshot) {
        if (!viewsRebuilt.getAsBoolean()) {
            return;
        }
        Instant now = clock.instant();
        for (ConfiguredLink link : schedule.linksFrom(dataset)) {
            planNow(link, now, snapshot);
        }
    }

    /**
     * A switchover's final snapshot waits for no interval: {@code link} is asked to sync now (recorded as the
     * controller's own order, with {@code reason}) and planned at once. A link that refuses (paused, diverged) is left
     * to its schedule; the switchover's deadline covers a send that never comes.
     */
    public synchronized void syncNow(LinkId link, String reason) {
        if (!viewsRebuilt.getAsBoolean()) {
            return;
        }
        Instant now = clock.instant();
        try {
            commands.sendAndWait(new SyncNow(link, CONTROLLER, reason, now));
        } catch (RuntimeException e) {
            log.warn("link {} not synced at once ({}): {}", link, reason, e.getMessage());
            return;
        }
        for (ConfiguredLink configured : schedule.linksFrom(link.source())) {
            if (configured.link().equals(link)) {
                planNow(configured, now, null);
            }
        }
    }

    private void planNow(ConfiguredLink link, Instant now, SnapshotInfo justRecorded) {
        List<LinkCommand> orders = orders(link, now, justRecorded);
        if (orders == null) {
            return;
        }
        List<Object> results = new ArrayList<>(orders.size());
        RuntimeException failure = null;
        try {
            for (LinkCommand order : orders) {
                results.add(commands.sendAndWait(order));
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        settle(link.link(), orders, results, failure, now);
    }

    /** The link's orders; null when even reading them failed (then handled as a failed plan). */
    private List<LinkCommand> orders(ConfiguredLink link, Instant now, SnapshotInfo justRecorded) {
        try {
            return schedule.orders(link, now, justRecorded);
        } catch (RuntimeException e) {
            settle(link.link(), List.of(), List.of(), e, now);
            return null;
        }
    }

    /** What became of a link's orders: {@code results} of those accepted, {@code failure} the one that was not. */
    private void settle(LinkId link, List<LinkCommand> orders, List<Object> results, RuntimeException failure,
                        Instant now) {
        if (failure != null) {
            schedule.failed(link); // re-establishing is idempotent: retried next tick
            if (!String.valueOf(failure.getMessage()).equals(failing.put(link, String.valueOf(failure.getMessage())))) {
                log.warn("planning of link {} failed: {}", link, failure.getMessage());
            }
            return;
        }
        int plan = indexOf(orders, PlanReplication.class);
        if (plan < 0) {
            plan = indexOf(orders, EstablishAndPlan.class);
        }
        if (plan < 0) {
            return; // only established: the source's view is behind, planned once it caught up
        }
        schedule.planned(link, now, results.get(plan) instanceof Instant next ? next : null);
        if (failing.remove(link) != null) {
            log.info("planning of link {} works again", link);
        }
    }

    /** Whether the orders establish their link, which may then be created (nothing to read for it). */
    private static boolean establishes(List<LinkCommand> orders) {
        return orders.get(0) instanceof EstablishLink || orders.get(0) instanceof EstablishAndPlan;
    }

    private static int indexOf(List<LinkCommand> orders, Class<?> type) {
        for (int i = 0; i < orders.size(); i++) {
            if (type.isInstance(orders.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        ticker.close();
        batch.close();
    }
}
