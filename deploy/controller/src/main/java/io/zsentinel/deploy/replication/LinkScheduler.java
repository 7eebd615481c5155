package io.zsentinel.deploy.replication;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.projections.inventory.DatasetSummary;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.inventory.SnapshotRow;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.CheckStall;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.RetireLink;
import io.zsentinel.deploy.controller.Ticker;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The controller's clock for replication: every tick, each configured link is established (once),
 * shown both sides' inventories to plan the next transfer, and checked for a stalled transfer. The
 * decisions are the ReplicationLink aggregates'; this only ticks. Cost per tick: no zfs call at all
 * (inventories come from the agents' reports), one command per link.
 */
public final class LinkScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkScheduler.class);

    private final ReplicationConfig config;
    private final SnapshotInventoryView inventory;
    private final ReportedInventory reported;
    private final Supplier<List<LinkId>> knownLinks;
    private final CommandGateway commands;
    private final Clock clock;
    private final Set<LinkId> established = new HashSet<>();
    private final Map<LinkId, String> failing = new HashMap<>();
    private final Ticker ticker = new Ticker("replication-ticker");

    /** {@code knownLinks}: the links the store knows (and still shows), to retire those no longer configured. */
    public LinkScheduler(ReplicationConfig config, SnapshotInventoryView inventory, ReportedInventory reported,
                         Supplier<List<LinkId>> knownLinks, CommandGateway commands, Clock clock) {
        this.config = config;
        this.inventory = inventory;
        this.reported = reported;
        this.knownLinks = knownLinks;
        this.commands = commands;
        this.clock = clock;
    }

    public LinkScheduler start() {
        ticker.every(java.time.Duration.ofSeconds(config.tickSeconds()), this::tick);
        log.info("replication: {} link rules, planned every {} s", config.links().size(), config.tickSeconds());
        return this;
    }

    public synchronized void tick() {
        Instant now = clock.instant();
        for (DatasetSummary d : inventory.datasets()) {
            for (LinkRule rule : config.links()) {
                rule.linkFor(d.server(), d.dataset()).ifPresent(link -> plan(rule, link, now));
            }
        }
        retireUnconfigured(now);
    }

    /**
     * A link the store knows that no rule makes any more (its rule removed, or its target changed): its
     * base is released, so the source can prune it. Judged by the configuration alone, never by the
     * inventory (which may still be loading after a start).
     */
    private void retireUnconfigured(Instant now) {
        for (LinkId link : knownLinks.get()) {
            boolean configured = config.links().stream()
                    .anyMatch(rule -> rule.linkFor(link.source().server(), link.source().dataset())
                            .filter(link::equals).isPresent());
            if (!configured) {
                try {
                    commands.sendAndWait(new RetireLink(link, "no rule of the replication configuration makes this link",
                            now));
                    established.remove(link);
                } catch (RuntimeException e) {
                    log.warn("could not retire link {}: {}", link, e.getMessage());
                }
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
        for (LinkRule rule : config.links()) {
            rule.linkFor(dataset.server(), dataset.dataset()).ifPresent(link -> plan(rule, link, now, snapshot));
        }
    }

    private void plan(LinkRule rule, LinkId link, Instant now) {
        plan(rule, link, now, null);
    }

    private void plan(LinkRule rule, LinkId link, Instant now, SnapshotInfo justRecorded) {
        try {
            if (established.add(link)) {
                commands.sendAndWait(new EstablishLink(link.source(), link.target().server(), link.target().dataset(),
                        rule.interval(), LinkPolicy.defaults(), now));
            }
            List<SnapshotInfo> source = new java.util.ArrayList<>(snapshots(link.source()));
            if (justRecorded != null && source.stream().noneMatch(s -> s.guid().equals(justRecorded.guid()))) {
                source.add(justRecorded);
            }
            // the target as its agent last reported it: the view follows the store a moment later, and a plan
            // on an inventory without the snapshot just received would start from the previous base
            List<SnapshotInfo> target = reported.snapshots(link.target()).orElseGet(() -> snapshots(link.target()));
            if (sourceViewBehind(link, source, target)) {
                return; // planned at the next tick, once the view has caught up
            }
            commands.sendAndWait(new PlanReplication(link, source, target,
                    reported.writtenSeenAt(link.target()), now, reported.bookmarks(link.source()),
                    reported.reportedAt(link.target())));
            commands.sendAndWait(new CheckStall(link, now));
            if (failing.remove(link) != null) {
                log.info("planning of link {} works again", link);
            }
        } catch (RuntimeException e) {
            established.remove(link); // re-establishing is idempotent: retried next tick
            if (!String.valueOf(e.getMessage()).equals(failing.put(link, String.valueOf(e.getMessage())))) {
                log.warn("planning of link {} failed: {}", link, e.getMessage());
            }
        }
    }

    /**
     * The target holds a snapshot that the source's view lacks but its agent's latest report has: the view
     * is behind the agent (it follows the store a moment later), and a plan on it would call that snapshot
     * the target's own and the link diverged. Bounded: the view catches up, or the source's next report
     * (after a destroy) no longer lists it.
     */
    private boolean sourceViewBehind(LinkId link, List<SnapshotInfo> source, List<SnapshotInfo> target) {
        Set<Guid> inView = new HashSet<>();
        source.forEach(s -> inView.add(s.guid()));
        Set<Guid> reportedBySource = new HashSet<>();
        reported.snapshots(link.source()).orElse(List.of()).forEach(s -> reportedBySource.add(s.guid()));
        return target.stream().anyMatch(t -> !inView.contains(t.guid()) && reportedBySource.contains(t.guid()));
    }

    private List<SnapshotInfo> snapshots(DatasetId dataset) {
        return inventory.snapshots(dataset.dataset(), Optional.of(dataset.server())).stream()
                .map(LinkScheduler::info).toList();
    }

    private static SnapshotInfo info(SnapshotRow s) {
        return new SnapshotInfo(SnapshotName.parse(s.name()), Guid.parse(s.guid()), s.createtxg(), s.created(),
                s.usedBytes(), s.referencedBytes());
    }

    @Override
    public void close() {
        ticker.close();
    }
}
