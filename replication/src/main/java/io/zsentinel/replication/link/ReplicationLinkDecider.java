package io.zsentinel.replication.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.replication.api.Refusal;
import io.zsentinel.replication.api.link.BaseChanged;
import io.zsentinel.replication.api.link.CheckStall;
import io.zsentinel.replication.api.link.CircuitOpened;
import io.zsentinel.replication.api.link.DivergenceResolutionOrdered;
import io.zsentinel.replication.api.link.EstablishAndPlan;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkCommand;
import io.zsentinel.replication.api.link.LinkEvent;
import io.zsentinel.replication.api.link.LinkPaused;
import io.zsentinel.replication.api.link.LinkResumed;
import io.zsentinel.replication.api.link.LinkRetired;
import io.zsentinel.replication.api.link.LinkSettingsChanged;
import io.zsentinel.replication.api.link.LinkState;
import io.zsentinel.replication.api.link.LinkStateChanged;
import io.zsentinel.replication.api.link.PauseLink;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.RecordTransferCompleted;
import io.zsentinel.replication.api.link.RecordTransferFailed;
import io.zsentinel.replication.api.link.RecordTransferProgress;
import io.zsentinel.replication.api.link.ReplicationFailed;
import io.zsentinel.replication.api.link.ReplicationLinkEstablished;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.api.link.ReplicationSucceeded;
import io.zsentinel.replication.api.link.ResolveDivergence;
import io.zsentinel.replication.api.link.ResumeLink;
import io.zsentinel.replication.api.link.RetireLink;
import io.zsentinel.replication.api.link.SnapshotRef;
import io.zsentinel.replication.api.link.SyncNow;
import io.zsentinel.replication.api.link.SyncRequested;
import io.zsentinel.replication.api.link.TargetCaughtUp;
import io.zsentinel.replication.api.link.TargetDiverged;
import io.zsentinel.replication.api.link.TransferProgressRecorded;
import io.zsentinel.replication.api.link.TransferStalled;
import io.zsentinel.replication.link.ReplicationLinkState.Divergence;
import io.zsentinel.replication.link.ReplicationLinkState.ResumePoint;
import io.zsentinel.replication.link.ReplicationLinkState.Transfer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The ReplicationLink rules as plain functions: {@code decide(state, command) → events},
 * {@code evolve(state, event) → state}. Facts about transfers are matched by transfer id against the
 * one in flight, so duplicates, late and out-of-order reports change nothing. The link's state is
 * derived after every decision and announced by {@link LinkStateChanged} when it moves.
 */
public final class ReplicationLinkDecider {
    /** The least time between two stored progress events of one transfer. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    /**
     * The agent's watchdog sees the bytes and kills a transfer stalled for the policy's stall timeout (and
     * reports it); the link hears of progress only every {@link #PROGRESS_EVERY}, a moment later, so it
     * declares a stall itself (an agent gone silent) only this much after that, never before the agent.
     */
    static final Duration STALL_GRACE = PROGRESS_EVERY.multipliedBy(3);
    private ReplicationLinkDecider() {
    }

    public static List<LinkEvent> decide(ReplicationLinkState state, LinkCommand command) {
        if (command instanceof EstablishAndPlan c) {
            return inOrder(state, c.steps());
        }
        if (command instanceof EstablishLink c) {
            return establish(state, c);
        }
        if (command instanceof RetireLink c) {
            return retire(state, c);
        }
        if (!state.established()) {
            throw Refusal.conflict("replication link " + command.linkId() + " is not established",
                    "establish it first (source, target and interval)");
        }
        List<LinkEvent> events = new ArrayList<>();
        boolean behind = state.state() != LinkState.IN_SYNC;
        Instant at;
        if (command instanceof PlanReplication c) {
            at = c.now();
            behind = plan(state, c, events);
        } else if (command instanceof RecordTransferProgress c) {
            at = c.at();
            Transfer t = inFlight(state, c.transferId());
            // Agents report every second; the store keeps one progress event per PROGRESS_EVERY, which is
            // plenty for stall detection (minutes) and keeps a long transfer from flooding the history.
            if (t != null && c.bytes() > t.bytes()
                    && (t.bytes() == 0 || !c.at().isBefore(t.lastProgressAt().plus(PROGRESS_EVERY)))) {
                events.add(new TransferProgressRecorded(c.linkId(), c.transferId(), c.bytes(), c.at()));
            }
        } else if (command instanceof RecordTransferCompleted c) {
            at = c.at();
            Transfer t = inFlight(state, c.transferId());
            if (t != null && t.to().guid().equals(c.snapshotGuid())) {
                events.add(new ReplicationSucceeded(c.linkId(), t.id(), t.to(), t.bytes(), c.at()));
                baseChange(state, t.to(), c.at(), events);
                behind = false;
            } else if (t != null) {
                fail(state, t, "the target reports guid " + c.snapshotGuid() + " received, expected " + t.to(),
                        null, c.at(), events);
            }
        } else if (command instanceof RecordTransferFailed c) {
            at = c.at();
            Transfer t = inFlight(state, c.transferId());
            if (t != null) {
                fail(state, t, c.reason(), c.resumeToken(), c.at(), events);
                if (!c.retriable()) {
                    // The target refused the stream itself (diverged, exists, missing): the same plan cannot
                    // succeed, so the link stops until an operator looks, instead of hammering the target.
                    events.add(new TargetDiverged(c.linkId(), "the target refused the transfer: " + c.reason(),
                            state.base(), List.of(), c.at()));
                }
            }
        } else if (command instanceof CheckStall c) {
            at = c.now();
            Transfer t = state.inFlight();
            if (t != null && !c.now().isBefore(t.lastProgressAt().plus(state.policy().stallTimeout()).plus(STALL_GRACE))) {
                events.add(new TransferStalled(c.linkId(), t.id(), t.bytes(), t.lastProgressAt(), c.now()));
                fail(state, t, "stalled: no progress for " + Duration.between(t.lastProgressAt(), c.now())
                        + " after " + t.bytes() + " bytes", null, c.now(), events);
            }
        } else if (command instanceof PauseLink c) {
            at = c.at();
            if (!state.paused()) {
                events.add(new LinkPaused(c.linkId(), c.operator(), c.reason(), c.at()));
            }
        } else if (command instanceof ResumeLink c) {
            at = c.at();
            if (state.paused()) {
                events.add(new LinkResumed(c.linkId(), c.operator(), c.reason(), c.at()));
            }
        } else if (command instanceof SyncNow c) {
            at = c.at();
            if (state.paused()) {
                throw Refusal.conflict("link " + c.linkId() + " is paused",
                        "resume it first (replication resume " + c.linkId() + ")");
            }
            refuseWhileDiverged(state);
            if (!state.syncRequested()) {
                events.add(new SyncRequested(c.linkId(), c.operator(), c.reason(), c.at()));
            }
        } else if (command instanceof ResolveDivergence c) {
            at = c.at();
            if (!state.diverged()) {
                throw Refusal.conflict("link " + c.linkId() + " has not diverged (it is " + state.state().label() + ")",
                        "there is nothing to resolve and no target data will be discarded");
            }
            events.add(new DivergenceResolutionOrdered(c.linkId(), state.divergence().commonBase(), c.operator(),
                    c.reason(), c.at()));
        } else {
            throw new IllegalArgumentException("unknown replication link command " + command.getClass().getName());
        }
        announceState(state, events, behind, at);
        return events;
    }

    /** Each command decided on the state the ones before it left: their events, in order. */
    private static List<LinkEvent> inOrder(ReplicationLinkState state, List<LinkCommand> commands) {
        List<LinkEvent> events = new ArrayList<>();
        ReplicationLinkState now = state;
        for (LinkCommand command : commands) {
            for (LinkEvent event : decide(now, command)) {
                now = evolve(now, event);
                events.add(event);
            }
        }
        return events;
    }

    public static ReplicationLinkState evolve(ReplicationLinkState state, LinkEvent event) {
        if (event instanceof ReplicationLinkEstablished e) {
            return state.established(e.interval(), e.policy());
        }
        if (event instanceof LinkSettingsChanged e) {
            return state.withSettings(e.interval(), e.policy()).retired(false);
        }
        if (event instanceof LinkRetired) {
            return state.retired(true);
        }
        if (event instanceof ReplicationScheduled e) {
            return state.started(new Transfer(e.transferId(), e.from(), e.to(), e.intermediates(), e.resumeToken(),
                    e.rollbackTarget(), e.attempt(), e.at(), 0, e.at()));
        }
        if (event instanceof TransferProgressRecorded e) {
            Transfer t = inFlight(state, e.transferId());
            return t == null ? state : state.progressed(e.bytes(), e.at());
        }
        if (event instanceof ReplicationSucceeded e) {
            return inFlight(state, e.transferId()) == null ? state : state.caughtUp(e.newBase(), e.at());
        }
        if (event instanceof ReplicationFailed e) {
            Transfer t = inFlight(state, e.transferId());
            if (t == null) {
                return state;
            }
            ResumePoint resume = e.resumeToken() == null ? null
                    : new ResumePoint(t.from(), t.to(), t.intermediates(), e.resumeToken());
            return state.failed(state.failures().next(e.reason(), e.at(), e.retryAt(), resume));
        }
        if (event instanceof TargetCaughtUp e) {
            return state.caughtUp(e.base(), null);
        }
        if (event instanceof TargetDiverged e) {
            return state.divergedBecause(new Divergence(e.reason(), e.commonBase()));
        }
        if (event instanceof DivergenceResolutionOrdered) {
            return state.withRollbackConsent();
        }
        if (event instanceof LinkPaused) {
            return state.paused(true);
        }
        if (event instanceof LinkResumed) {
            return state.paused(false);
        }
        if (event instanceof SyncRequested) {
            return state.withSyncRequested();
        }
        if (event instanceof LinkStateChanged e) {
            return state.withState(state.state().transitionTo(e.to()));
        }
        if (event instanceof BaseChanged || event instanceof TransferStalled || event instanceof CircuitOpened) {
            return state; // for the controller and the views: the state they report is already folded
        }
        throw new IllegalArgumentException("unknown replication link event " + event.getClass().getName());
    }

    /** Deterministic, so that re-deciding the same transfer yields the same id the agent already knows. */
    public static UUID transferId(ReplicationLinkState state, SnapshotRef from, SnapshotRef to, int attempt) {
        String key = state.id() + "|" + (from == null ? "full" : from.guid()) + "|" + to.guid() + "|" + attempt;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Once, and not while a transfer runs (its outcome would protect a new base): the link's base is
     * released and the link is shown no more. An unknown link has nothing to retire.
     */
    private static List<LinkEvent> retire(ReplicationLinkState state, RetireLink c) {
        if (!state.established() || state.retired() || state.inFlight() != null) {
            return List.of();
        }
        return List.of(new LinkRetired(c.linkId(), state.source(), state.base() == null ? null : state.base().guid(),
                c.reason(), c.at()));
    }

    private static List<LinkEvent> establish(ReplicationLinkState state, EstablishLink c) {
        if (state.established()) {
            if (state.retired()) {
                // configured again: it carries on from what the two sides then have in common
                return List.of(new LinkSettingsChanged(c.linkId(), c.interval(), c.policy(), c.at()));
            }
            if (state.interval().equals(c.interval()) && state.policy().equals(c.policy())) {
                return List.of();
            }
            // The operator changed the configuration: the link keeps its base and history.
            return List.of(new LinkSettingsChanged(c.linkId(), c.interval(), c.policy(), c.at()));
        }
        return List.of(new ReplicationLinkEstablished(c.linkId(), c.source(), c.linkId().target(), c.interval(),
                c.policy(), c.at()));
    }

    /**
     * Plans when nothing stops the link; answers whether the target is behind the source by more than its own
     * schedule allows ({@link LaggingRule}): a target that lacks a snapshot only until its next interval is in sync.
     */
    private static boolean plan(ReplicationLinkState state, PlanReplication c, List<LinkEvent> events) {
        boolean wasBehind = state.state() != LinkState.IN_SYNC;
        if (state.paused() || state.diverged() || state.inFlight() != null || state.retired()) {
            return wasBehind;
        }
        ReplicationPlan plan = ReplicationPlanner.plan(c.sourceSnapshots(), c.sourceBookmarks(), targetAsKnown(state, c),
                ReplicationPlanner.Options.targetWritten(writtenSinceLastSuccess(state, c)));
        if (plan instanceof ReplicationPlan.NothingToSend) {
            return wasBehind;
        }
        if (plan instanceof ReplicationPlan.UpToDate p) {
            SnapshotRef base = SnapshotRef.of(p.commonBase());
            if (!sameGuid(state.base(), base) || state.failures().consecutive() > 0 || state.rollbackConsented()) {
                events.add(new TargetCaughtUp(c.linkId(), base, c.now()));
                baseChange(state, base, c.now(), events);
            }
            return false;
        }
        if (plan instanceof ReplicationPlan.Diverged p) {
            if (!state.rollbackConsented()) {
                events.add(new TargetDiverged(c.linkId(), divergenceReason(state, p), SnapshotRef.of(p.commonBase()),
                        p.targetOnly().stream().map(SnapshotRef::of).toList(), c.now()));
                return true;
            }
            // the operator consented: replace what the target holds beyond the base (or all of it)
            SnapshotInfo newest = c.sourceSnapshots().stream().max(Comparator.comparingLong(SnapshotInfo::createtxg))
                    .orElseThrow();
            SnapshotInfo from = p.commonBase();
            // -I from a base (the planner's rule): zfs sends what lies between on the source at send time
            scheduleIfDue(state, c, SnapshotRef.of(from), SnapshotRef.of(newest), from != null, true, events);
            return true;
        }
        boolean lagging = LaggingRule.lagging(state.base(), c.sourceSnapshots(), state.interval(), c.now());
        // With the operator's consent pending, the next stream may discard what the target wrote since the
        // base even when its snapshots look in order (a write without a snapshot shows only at receive).
        boolean rollback = state.rollbackConsented();
        if (plan instanceof ReplicationPlan.FullSend p) {
            scheduleIfDue(state, c, null, SnapshotRef.of(p.snapshot()), false, rollback, events);
        } else if (plan instanceof ReplicationPlan.Incremental p) {
            scheduleIfDue(state, c, SnapshotRef.of(p.from()), SnapshotRef.of(p.to()), p.intermediates(), rollback, events);
        } else if (plan instanceof ReplicationPlan.IncrementalFromBookmark p) {
            SnapshotRef mark = new SnapshotRef(p.from().name().dataset().snapshot(p.from().name().shortName()),
                    p.from().guid(), p.from().created());
            scheduleIfDue(state, c, mark, SnapshotRef.of(p.to()), false, rollback, true, events);
        }
        return lagging;
    }

    /**
     * The planner's reason, and for a link that never sent anything yet but shares snapshots with a target that also
     * holds newer ones of its own, where those came from and why they are kept. That is the new primary's link to the
     * offsite DC after a failover, when the offsite received snapshots from the failed primary after the new primary's
     * last receive: they hold the failed primary's last writes, which the failover lost and which may exist nowhere
     * else now, so they are never rolled back without an operator's consent (saving them first is the operator's
     * call), even though the link was made by a failover rather than by a person.
     */
    private static String divergenceReason(ReplicationLinkState state, ReplicationPlan.Diverged p) {
        if (state.base() != null || p.commonBase() == null || p.targetOnly().isEmpty()) {
            return p.reason();
        }
        return p.reason() + "; it received them from another source (such as a former primary before a failover),"
                + " so they may be the only copy of that source's last writes: save them if they matter, then"
                + " replication resolve " + state.id() + " --rollback-target sends from " + p.commonBase().name().full();
    }

    /**
     * The target's inventory, with the link's base added when that inventory was reported before the last
     * success: the target's agent reports a change at its next scan, so for a moment after a transfer the
     * controller's view lacks the snapshot just received, and a plan from the older base would be refused by
     * the agent as stale (and retried only after a backoff). A report after the success is taken as it is
     * (an operator may have destroyed the base there since). Without a report since the controller started,
     * the view is used as it is too.
     */
    private static List<SnapshotInfo> targetAsKnown(ReplicationLinkState state, PlanReplication c) {
        SnapshotRef base = state.base();
        Instant reported = c.targetReportedAt();
        if (base == null || state.lastSuccessAt() == null || reported == null || !reported.isBefore(state.lastSuccessAt())
                || c.targetSnapshots().stream().anyMatch(t -> t.guid().equals(base.guid()))
                || c.sourceSnapshots().stream().noneMatch(s -> s.guid().equals(base.guid()))) {
            return c.targetSnapshots();
        }
        long after = c.targetSnapshots().stream().mapToLong(SnapshotInfo::createtxg).max().orElse(0) + 1;
        List<SnapshotInfo> known = new ArrayList<>(c.targetSnapshots());
        known.add(new SnapshotInfo(state.target().dataset().snapshot(base.name().shortName()), base.guid(), after,
                base.created(), 0, 0));
        return known;
    }

    /**
     * The target's agent saw it written to after the last success: a report from before it (the stream
     * that followed, or an operator's rollback, made it clean) is stale, not a divergence.
     */
    private static boolean writtenSinceLastSuccess(ReplicationLinkState state, PlanReplication c) {
        Instant seen = c.targetWrittenSeenAt();
        return seen != null && (state.lastSuccessAt() == null || seen.isAfter(state.lastSuccessAt()));
    }

    private static void scheduleIfDue(ReplicationLinkState state, PlanReplication c, SnapshotRef from, SnapshotRef to,
                                      boolean intermediates, boolean rollbackTarget, List<LinkEvent> events) {
        scheduleIfDue(state, c, from, to, intermediates, rollbackTarget, false, events);
    }

    private static void scheduleIfDue(ReplicationLinkState state, PlanReplication c, SnapshotRef from, SnapshotRef to,
                                      boolean intermediates, boolean rollbackTarget, boolean fromBookmark,
                                      List<LinkEvent> events) {
        if (!due(state, c.now())) {
            return;
        }
        ResumePoint resume = state.failures().resume();
        String token = null;
        if (resume != null && !fromBookmark && sameGuid(resume.from(), from)
                && c.sourceSnapshots().stream().anyMatch(s -> s.guid().equals(resume.to().guid()))) {
            // the target keeps the partial stream: resume it rather than start a newer one from scratch
            to = resume.to();
            intermediates = resume.intermediates();
            token = resume.token();
        }
        int attempt = state.failures().consecutive() + 1;
        events.add(new ReplicationScheduled(c.linkId(), transferId(state, from, to, attempt), from, to, intermediates,
                token, rollbackTarget, attempt, c.now(), fromBookmark, state.policy().transfer()));
    }

    /**
     * When a plan on the same inputs could decide otherwise by time alone, after {@code c} was decided and
     * applied ({@code state}): the in-flight transfer's stall deadline; else, unless paused, diverged or retired,
     * the next transfer's due time (retry or interval) and the moment the target starts to count as lagging.
     * Null when only a change of inputs (inventories, reports, the link's own events) can change the outcome.
     * The replication scheduler plans a link again at this time when nothing else changed.
     */
    public static Instant nextLook(ReplicationLinkState state, PlanReplication c) {
        if (!state.established() || state.retired()) {
            return null;
        }
        Transfer t = state.inFlight();
        if (t != null) {
            return t.lastProgressAt().plus(state.policy().stallTimeout()).plus(STALL_GRACE);
        }
        if (state.paused() || state.diverged()) {
            return null;
        }
        Instant next = null;
        if (!due(state, c.now())) {
            next = state.failures().consecutive() > 0 ? state.failures().retryAt()
                    : state.lastSuccessAt().plus(state.interval());
        }
        Instant laggingAt = LaggingRule.laggingFrom(state.base(), c.sourceSnapshots(), state.interval());
        if (laggingAt != null && laggingAt.isAfter(c.now()) && (next == null || laggingAt.isBefore(next))) {
            next = laggingAt;
        }
        return next;
    }

    /**
     * A sync request always is; after failures, the retry time (backoff, or the open circuit's cool-down:
     * the half-open attempt); otherwise the interval since the last success, or an operator's rollback consent.
     */
    static boolean due(ReplicationLinkState state, Instant now) {
        if (state.syncRequested()) {
            return true;
        }
        if (state.failures().consecutive() > 0) {
            return !now.isBefore(state.failures().retryAt());
        }
        return state.rollbackConsented() || state.lastSuccessAt() == null
                || !now.isBefore(state.lastSuccessAt().plus(state.interval()));
    }

    private static void fail(ReplicationLinkState state, Transfer t, String reason, String resumeToken, Instant at,
                             List<LinkEvent> events) {
        int failures = state.failures().consecutive() + 1;
        boolean open = failures >= state.policy().breakerThreshold();
        Instant retryAt = at.plus(open ? state.policy().breakerCoolDown() : state.policy().backoff(failures));
        events.add(new ReplicationFailed(state.id(), t.id(), reason, resumeToken, t.attempt(), retryAt, at));
        if (open) {
            events.add(new CircuitOpened(state.id(), state.target().server(), failures, retryAt, at));
        }
    }

    private static void baseChange(ReplicationLinkState state, SnapshotRef newBase, Instant at, List<LinkEvent> events) {
        if (!sameGuid(state.base(), newBase)) {
            events.add(new BaseChanged(state.id(), state.source(), state.base() == null ? null : state.base().guid(),
                    newBase, at));
        }
    }

    private static void announceState(ReplicationLinkState state, List<LinkEvent> events, boolean behind, Instant at) {
        ReplicationLinkState after = state;
        for (LinkEvent e : events) {
            after = evolve(after, e);
        }
        LinkState next = derive(after, behind);
        if (next != state.state()) {
            state.state().transitionTo(next); // an illegal move is a bug in these rules: fail before recording it
            events.add(new LinkStateChanged(state.id(), state.state(), next, at));
        }
    }

    /** Precedence: paused, diverged, failing (until a success), transferring, lagging, in sync. */
    static LinkState derive(ReplicationLinkState s, boolean behind) {
        if (s.paused()) {
            return LinkState.PAUSED;
        }
        if (s.diverged()) {
            return LinkState.DIVERGED;
        }
        if (s.failures().consecutive() > 0) {
            return LinkState.FAILING;
        }
        if (s.inFlight() != null) {
            return LinkState.TRANSFERRING;
        }
        return behind ? LinkState.LAGGING : LinkState.IN_SYNC;
    }

    private static void refuseWhileDiverged(ReplicationLinkState state) {
        if (state.diverged()) {
            throw Refusal.conflict("link " + state.id() + " has diverged (" + state.divergence().reason() + ")",
                    "nothing is sent until an operator resolves it: replication resolve " + state.id()
                            + " --rollback-target (discards the target's own snapshots and writes)");
        }
    }

    private static Transfer inFlight(ReplicationLinkState state, UUID transferId) {
        Transfer t = state.inFlight();
        return t != null && t.id().equals(transferId) ? t : null;
    }

    private static boolean sameGuid(SnapshotRef a, SnapshotRef b) {
        return a == null ? b == null : b != null && a.guid().equals(b.guid());
    }
}
