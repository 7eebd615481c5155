package io.zsentinel.replication.schedule;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.CheckStall;
import io.zsentinel.replication.api.link.EstablishAndPlan;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkCommand;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.RetireLink;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the controller's replication ticker orders, as rules: each configured link of a known dataset is
 * established once (again after a failure), shown both sides' inventories to plan its next transfer and
 * checked for a stalled transfer; a link the store knows that no rule makes any more is retired. The
 * transfer decisions themselves are the ReplicationLink aggregate's. A link is planned again only when
 * something it is planned on changed — either side's inventory in the store, either side's latest agent
 * report, the link's own events — or when the link said a plan on the same inputs could decide otherwise
 * by time alone (its next transfer due, a lag or a stall deadline; {@link #planned}), and at least every
 * {@link #LOOK_AT_LEAST_EVERY}. Time is passed in; not thread-safe (the runtime calls it from one tick at a
 * time).
 */
public final class LinkSchedule {
    static final String RETIRE_REASON = "no rule of the replication configuration makes this link";
    /** A backstop: a link is planned at least this often even when nothing seems to have changed. */
    public static final Duration LOOK_AT_LEAST_EVERY = Duration.ofHours(1);

    /** What a link's plan is made of, each as its version: equal inputs, the same plan. */
    private record Inputs(long source, long target, long sourceReport, long targetReport, long link) {
    }

    private record Planned(Inputs inputs, Instant lookAgainAt) {
    }

    private final LinkConfiguration configuration;
    private final ReplicationInventory inventory;
    private final AgentReports reports;
    private final LinkVersions links;
    private final Set<LinkId> established = new HashSet<>();
    /** Links whose orders failed since their last plan: established apart, so they show even while plans fail. */
    private final Set<LinkId> apart = new HashSet<>();
    /** The inputs the latest {@link #orders} of each link read, until its orders are accepted or fail. */
    private final Map<LinkId, Inputs> read = new HashMap<>();
    private final Map<LinkId, Planned> planned = new HashMap<>();

    public LinkSchedule(LinkConfiguration configuration, ReplicationInventory inventory, AgentReports reports,
                        LinkVersions links) {
        this.configuration = configuration;
        this.inventory = inventory;
        this.reports = reports;
        this.links = links;
    }

    /**
     * The links to plan at {@code now}: each configured link of every dataset the inventory shows, in its
     * order, that was never planned (or failed since), whose inputs changed since its last plan, or that is
     * due by time. Cost: a few lookups per link, none of them over other datasets.
     */
    public List<ConfiguredLink> linksToPlan(Instant now) {
        List<ConfiguredLink> due = new ArrayList<>();
        for (DatasetId dataset : inventory.datasets()) {
            for (ConfiguredLink link : configuration.linksFrom(dataset)) {
                if (due(link.link(), now)) {
                    due.add(link);
                }
            }
        }
        return due;
    }

    private boolean due(LinkId link, Instant now) {
        Planned p = planned.get(link);
        return p == null || !established.contains(link) || !now.isBefore(p.lookAgainAt())
                || !p.inputs().equals(inputs(link));
    }

    private Inputs inputs(LinkId link) {
        return new Inputs(inventory.version(link.source()), inventory.version(link.target()),
                reports.version(link.source()), reports.version(link.target()), links.version(link));
    }

    /** The links of {@code source}, to plan at once when it records a snapshot. */
    public List<ConfiguredLink> linksFrom(DatasetId source) {
        return configuration.linksFrom(source);
    }

    /**
     * The commands for {@code link} now, to send in order and stop at the first that fails (then
     * {@link #failed}; all accepted with a plan among them: {@link #planned}): {@link PlanReplication} and
     * {@link CheckStall}, with the link's establishment in one {@link EstablishAndPlan} unless established
     * already (after a failure: {@link EstablishLink} apart first, so a link whose plans fail still shows) — or
     * only {@link EstablishLink} while the source's view is behind what the target holds (the link stays due). {@code
     * justRecorded} (may be null): a snapshot just recorded on the source, added if the view lacks it yet.
     */
    public List<LinkCommand> orders(ConfiguredLink configured, Instant now, SnapshotInfo justRecorded) {
        LinkId link = configured.link();
        read.put(link, inputs(link)); // before reading them: a change meanwhile is seen at the next tick
        EstablishLink establish = !established.add(link) ? null : new EstablishLink(link.source(),
                link.target().server(), link.target().dataset(), configured.interval(), LinkPolicy.defaults(), now);
        List<SnapshotInfo> source = new ArrayList<>(inventory.snapshots(link.source()));
        if (justRecorded != null && source.stream().noneMatch(s -> s.guid().equals(justRecorded.guid()))) {
            source.add(justRecorded);
        }
        // the target as its agent last reported it: the view follows the store a moment later, and a plan
        // on an inventory without the snapshot just received would start from the previous base
        List<SnapshotInfo> target = reports.snapshots(link.target()).orElseGet(() -> inventory.snapshots(link.target()));
        if (sourceViewBehind(link, source, target)) {
            // planned at the next tick, once the view has caught up
            return establish == null ? List.of() : List.of(establish);
        }
        PlanReplication plan = new PlanReplication(link, source, target, reports.writtenSeenAt(link.target()), now,
                reports.bookmarks(link.source()), reports.reportedAt(link.target()));
        if (establish != null && !apart.contains(link)) {
            return List.of(new EstablishAndPlan(establish, plan));
        }
        CheckStall stall = new CheckStall(link, now);
        return establish == null ? List.of(plan, stall) : List.of(establish, plan, stall);
    }

    /**
     * The link's orders, a plan among them, were all accepted: it is planned again when its inputs change, or
     * at {@code lookAgainAt} (the link's answer to the plan; null: only on a change), at the latest
     * {@link #LOOK_AT_LEAST_EVERY} after {@code now}.
     */
    public void planned(LinkId link, Instant now, Instant lookAgainAt) {
        Inputs inputs = read.remove(link);
        apart.remove(link);
        if (inputs != null) {
            Instant backstop = now.plus(LOOK_AT_LEAST_EVERY);
            planned.put(link, new Planned(inputs,
                    lookAgainAt == null || lookAgainAt.isAfter(backstop) ? backstop : lookAgainAt));
        }
    }

    /** One of the link's orders failed: it is established again (idempotent) with the next orders, at the next tick. */
    public void failed(LinkId link) {
        established.remove(link);
        apart.add(link);
        forget(link);
    }

    /**
     * The links the store knows ({@code known}) that no rule makes any more (rule removed, or its target
     * changed) and the configuration does not keep otherwise ({@link LinkConfiguration#keptFrom}): judged by the
     * configuration alone, never by the inventory (which may still be loading).
     */
    public List<RetireLink> retirements(List<LinkId> known, Instant now) {
        List<RetireLink> retire = new ArrayList<>();
        for (LinkId link : known) {
            boolean configured = configuration.keptFrom(link.source()).stream()
                    .anyMatch(c -> c.link().equals(link));
            if (!configured) {
                retire.add(new RetireLink(link, RETIRE_REASON, now));
            }
        }
        return retire;
    }

    /** The link was retired: configured again later, it is established again. */
    public void retired(LinkId link) {
        established.remove(link);
        forget(link);
    }

    private void forget(LinkId link) {
        read.remove(link);
        planned.remove(link);
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
        reports.snapshots(link.source()).orElse(List.of()).forEach(s -> reportedBySource.add(s.guid()));
        return target.stream().anyMatch(t -> !inView.contains(t.guid()) && reportedBySource.contains(t.guid()));
    }
}
