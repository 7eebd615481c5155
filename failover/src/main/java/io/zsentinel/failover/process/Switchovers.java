package io.zsentinel.failover.process;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.BeginSwitchover;
import io.zsentinel.failover.api.CommonSnapshot;
import io.zsentinel.failover.api.DatasetPromotion;
import io.zsentinel.failover.api.DemotionRequested;
import io.zsentinel.failover.api.FailoverEvent;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.FailoverStep;
import io.zsentinel.failover.api.FinalSendRequested;
import io.zsentinel.failover.api.FinalSnapshotReceived;
import io.zsentinel.failover.api.FinalSnapshotRequested;
import io.zsentinel.failover.api.FinalSnapshotTaken;
import io.zsentinel.failover.api.FormerPrimaryDemoted;
import io.zsentinel.failover.api.HookKind;
import io.zsentinel.failover.api.HookRan;
import io.zsentinel.failover.api.HookRequested;
import io.zsentinel.failover.api.PromotionRequested;
import io.zsentinel.failover.api.RecordFinalSend;
import io.zsentinel.failover.api.RecordFinalSnapshot;
import io.zsentinel.failover.api.RecordHookOutcome;
import io.zsentinel.failover.api.RecordServiceCommandOutcome;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.failover.api.SwitchoverAborted;
import io.zsentinel.failover.api.SwitchoverCompleted;
import io.zsentinel.failover.api.SwitchoverStarted;
import io.zsentinel.failover.choose.Candidate;
import io.zsentinel.failover.choose.FailoverSituation;
import io.zsentinel.failover.detect.Health;
import io.zsentinel.failover.process.ServiceState.PendingDemotion;
import io.zsentinel.failover.process.ServiceState.Planned;
import io.zsentinel.failover.process.ServiceState.Running;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A planned switchover's rules, part of {@link ServiceDecider}: DEMOTING (the old primary's datasets read-only and its
 * demote hook, at the generation it serves at) → SNAPSHOTTING (a final snapshot of each dataset on the read-only old primary) →
 * SENDING (until the standby holds each final snapshot's guid) → PROMOTING and SWITCHING exactly as a failover (the
 * old primary is fenced by being read-only; the promotion rolls back to the final snapshot, which is the newest) →
 * {@link ServiceSwitched} and {@link SwitchoverCompleted}: the old primary rejoins quietly. Before the promotion any
 * failure (demote hook, a refused demotion or snapshot, a failed final send, the deadline) aborts it and promotes the
 * old primary back at a newer generation, serving again; once the standby's promotion began nothing is promoted back
 * (two writable copies are worse than a pause) and the service is blocked. A switchover blocks no automatic failover.
 */
final class Switchovers {
    /** The final snapshot's name on every dataset of a switchover at {@code generation}. */
    static final String FINAL_PREFIX = "zsentinel-switchover-";

    private Switchovers() {
    }

    static List<FailoverEvent> begin(ServiceState state, BeginSwitchover c) {
        ServiceName service = c.service();
        Running r = state.running();
        if (r != null) {
            throw new IllegalStateException("switchover of " + service + " to " + c.to() + " refused: "
                    + (r.isSwitchover() ? "switchover " : "failover ") + r.id() + " from " + r.failedPrimary() + " to "
                    + r.to() + " is running (" + r.step().text() + ", deadline " + r.deadline() + ")");
        }
        FailoverSituation s = c.situation();
        ServerId from = state.primary();
        List<String> reasons = new ArrayList<>();
        if (!s.failedPrimary().equals(from)) {
            reasons.add("the situation was read for " + s.failedPrimary() + " but " + from + " serves " + service
                    + "; order it again");
        }
        if (c.to().equals(from)) {
            reasons.add(c.to() + " already serves " + service);
        } else if (!state.standbys().contains(c.to()) && !s.service().standbys().contains(c.to())
                && !s.service().primary().equals(c.to())) { // the configured primary: a failback
            reasons.add(c.to() + " is not a configured standby of " + service + " (standbys: " + s.service().standbys() + ")");
        }
        Candidate standby = s.candidate(c.to());
        if (standby.health() != Health.HEALTHY) {
            reasons.add("standby " + c.to() + " is " + standby.health().text() + ", not healthy");
        }
        if (standby.maintenance()) {
            reasons.add("standby " + c.to() + " is in maintenance mode");
        }
        if (s.datasets().isEmpty()) {
            reasons.add("no dataset of " + from + " matches " + s.service().datasets() + ": nothing to switch over");
        }
        List<DatasetName> missing = s.datasets().stream().filter(d -> !standby.commonSnapshots().containsKey(d)).toList();
        if (!missing.isEmpty()) {
            reasons.add(c.to() + " shares no snapshot with " + from + " for " + missing + ": it would need a full send");
        } else {
            standby.commonSnapshots().values().stream().filter(common -> s.datasets().contains(common.dataset()))
                    .min(Comparator.comparing(CommonSnapshot::created)).ifPresent(oldest -> {
                        Duration lag = Duration.between(oldest.created(), s.now());
                        if (lag.compareTo(c.maxLag()) > 0) {
                            reasons.add(c.to() + " lags: its newest common snapshot " + oldest.snapshot() + " is "
                                    + lag.toSeconds() + " s old, beyond the switchover bound of " + c.maxLag().toSeconds()
                                    + " s; let replication catch up first");
                        }
                    });
        }
        if (!reasons.isEmpty()) {
            throw new IllegalStateException("switchover of " + service + " to " + c.to() + " refused: "
                    + String.join("; ", reasons));
        }
        Instant now = s.now();
        long generation = state.generation() + 1;
        FailoverId id = ServiceDecider.failoverId(service, generation, now);
        List<DatasetPromotion> datasets = s.datasets().stream().map(d -> {
            DatasetName copy = standby.copyOf(d);
            return new DatasetPromotion(copy, copy.snapshot(FINAL_PREFIX + generation), d);
        }).toList();
        List<FailoverEvent> events = new ArrayList<>();
        events.add(new SwitchoverStarted(service, id, from, c.to(), generation, datasets, now.plus(c.window()), c.by(), now));
        // demoted at the generation it serves at, not the switchover's: the final send from it carries that one to the
        // standby's copy, which the switchover's generation must then be newer than to promote it
        for (DatasetName d : s.datasets()) {
            events.add(new DemotionRequested(service, from, d, state.generation(), ServiceDecider.commandId("demote", id, d, 1),
                    now));
        }
        events.add(new HookRequested(service, id, HookKind.DEMOTE, from, state.generation(), now));
        return events;
    }

    /** The demote hook's outcome during a switchover's demotion; empty when it is not that. */
    static List<FailoverEvent> hookRan(ServiceState state, Running r, RecordHookOutcome c, HookRan ran) {
        if (c.kind() != HookKind.DEMOTE || r.step() != FailoverStep.DEMOTING) {
            return null;
        }
        List<FailoverEvent> events = new ArrayList<>(List.of(ran));
        if (!c.succeeded()) {
            events.addAll(abort(c.service(), r, "the demote hook on " + r.failedPrimary() + " failed (" + c.detail() + ")", c.at()));
            return events;
        }
        return advance(state, events, c.at());
    }

    /** An old primary's answer to a switchover's demotion; null when it is not that. */
    static List<FailoverEvent> demotionAnswered(ServiceState state, Running r, RecordServiceCommandOutcome c) {
        PendingDemotion d = state.pendingDemotions().get(c.commandId());
        if (d == null || !d.server().equals(c.server()) || !c.server().equals(r.failedPrimary())
                || d.generation() != r.generation() - 1 || r.step() != FailoverStep.DEMOTING) {
            return null;
        }
        if (!c.succeeded()) {
            return abort(c.service(), r, r.failedPrimary() + " refused to set " + d.dataset() + " read-only (" + c.detail() + ")", c.at());
        }
        List<FailoverEvent> events = new ArrayList<>();
        events.add(new FormerPrimaryDemoted(c.service(), d.server(), d.dataset(), c.commandId(), c.detail(), c.at()));
        return advance(state, events, c.at());
    }

    static List<FailoverEvent> finalSnapshot(ServiceState state, RecordFinalSnapshot c) {
        Running r = state.running();
        DatasetName dataset = c.snapshot().dataset();
        if (!runs(r, c.failover()) || r.step() != FailoverStep.SNAPSHOTTING || !r.primaryDatasets().contains(dataset)
                || r.planned().taken().containsKey(dataset)) {
            return List.of(); // late, repeated or unknown
        }
        if (!c.succeeded()) {
            return abort(c.service(), r, "the final snapshot " + c.snapshot() + " on " + r.failedPrimary() + " failed (" + c.detail()
                    + ")", c.at());
        }
        List<FailoverEvent> events = new ArrayList<>();
        events.add(new FinalSnapshotTaken(c.service(), r.id(), r.failedPrimary(), c.snapshot(), c.guid(), c.at()));
        return advance(state, events, c.at());
    }

    static List<FailoverEvent> finalSend(ServiceState state, RecordFinalSend c) {
        Running r = state.running();
        if (!runs(r, c.failover()) || r.step() != FailoverStep.SENDING || !r.primaryDatasets().contains(c.dataset())
                || r.planned().received().contains(c.dataset())) {
            return List.of();
        }
        if (!c.succeeded()) {
            return abort(c.service(), r, "the final send of " + c.dataset() + " to " + r.to() + " failed (" + c.detail() + ")", c.at());
        }
        List<FailoverEvent> events = new ArrayList<>();
        events.add(new FinalSnapshotReceived(c.service(), r.id(), r.to(), c.dataset(), c.detail(), c.at()));
        return advance(state, events, c.at());
    }

    /** The deadline passed: promoted back before the standby's promotion began, else stopped and blocked. */
    static List<FailoverEvent> deadlinePassed(Running r, ServiceName service, Instant at) {
        String waiting = switch (r.step()) {
            case DEMOTING -> r.failedPrimary() + " was not demoted (read-only datasets " + r.planned().demoted()
                    + ", demote hook " + (r.planned().hookDone() ? "done" : "not answered") + ")";
            case SNAPSHOTTING -> "final snapshots taken only of " + r.planned().taken().keySet();
            case SENDING -> r.to() + " received the final snapshots only of " + r.planned().received();
            default -> "";
        };
        if (r.step() == FailoverStep.PROMOTING || r.step() == FailoverStep.SWITCHING) {
            return List.of(new SwitchoverAborted(service, r.id(), r.step(), "not serving from " + r.to() + " by its"
                    + " deadline " + r.deadline() + " (" + r.step().text() + "); its promotion had begun, so "
                    + r.failedPrimary() + " is not promoted back: see zsentinel status, then force a failover to "
                    + r.to() + " or " + r.failedPrimary(), null, r.generation(), at));
        }
        return abort(service, r, "not done by its deadline " + r.deadline() + ": " + waiting, at);
    }

    /** After a switch: the switchover is complete and the old primary (demoted already) is to rejoin. */
    static List<FailoverEvent> switched(Running r, ServiceName service, Instant at) {
        return List.of(new ServiceSwitched(service, r.id(), r.failedPrimary(), r.to(), r.generation(), r.primaryDatasets(), at),
                new SwitchoverCompleted(service, r.id(), r.failedPrimary(), r.to(), r.generation(), r.planned().by(), at));
    }

    static ServiceState evolve(ServiceState state, FailoverEvent event) {
        Running r = state.running();
        if (event instanceof SwitchoverStarted e) {
            return state.running(Running.switchover(e.failover(), e.from(), e.to(), e.generation(), e.datasets(),
                    e.deadline(), e.by()));
        }
        if (r == null || !r.isSwitchover()) {
            return state;
        }
        Planned p = r.planned();
        if (event instanceof FinalSnapshotRequested e && runs(r, e.failover())) {
            return state.running(r.withPlanned(p, FailoverStep.SNAPSHOTTING));
        }
        if (event instanceof FinalSnapshotTaken e && runs(r, e.failover())) {
            return state.running(r.withPlanned(p.taken(e.snapshot(), e.guid()), r.step()));
        }
        if (event instanceof FinalSendRequested e && runs(r, e.failover())) {
            return state.running(r.withPlanned(p, FailoverStep.SENDING));
        }
        if (event instanceof FinalSnapshotReceived e && runs(r, e.failover())) {
            Planned next = p.received(e.dataset());
            boolean all = next.received().containsAll(r.primaryDatasets());
            return state.running(r.withPlanned(next, all ? FailoverStep.PROMOTING : r.step()));
        }
        if (event instanceof HookRan e && runs(r, e.failover()) && e.kind() == HookKind.DEMOTE && e.succeeded()) {
            return state.running(r.withPlanned(p.hookSucceeded(), r.step()));
        }
        if (event instanceof FormerPrimaryDemoted e && e.server().equals(r.failedPrimary())) {
            return state.running(r.withPlanned(p.demoted(e.dataset()), r.step()));
        }
        if (event instanceof SwitchoverAborted e && runs(r, e.failover())) {
            if (e.servedBy() != null) {
                return state.switchoverEnded(e.servedBy(), e.generation());
            }
            return state.ended(state.primary(), "switchover " + e.failover() + " was aborted at " + e.at() + " ("
                    + e.step().text() + "): " + e.reason());
        }
        if (event instanceof ServiceSwitched e && runs(r, e.failover())) {
            return state.switchoverEnded(e.to(), e.generation());
        }
        return state;
    }

    static boolean handles(FailoverEvent event) {
        return event instanceof SwitchoverStarted || event instanceof FinalSnapshotRequested
                || event instanceof FinalSnapshotTaken || event instanceof FinalSendRequested
                || event instanceof FinalSnapshotReceived || event instanceof SwitchoverAborted
                || event instanceof SwitchoverCompleted;
    }

    /**
     * The next step's requests once {@code events} have been applied and the current step is complete: the final
     * snapshots once every dataset is read-only and the demote hook succeeded, the final sends once every snapshot is
     * taken, the promotions once the standby holds every final snapshot.
     */
    private static List<FailoverEvent> advance(ServiceState state, List<FailoverEvent> events, Instant at) {
        ServiceState after = state;
        for (FailoverEvent e : events) {
            after = ServiceDecider.evolve(after, e);
        }
        Running r = after.running();
        Planned p = r.planned();
        List<DatasetName> datasets = r.primaryDatasets();
        ServiceName service = state.service();
        if (r.step() == FailoverStep.DEMOTING && p.hookDone() && p.demoted().containsAll(datasets)) {
            for (DatasetName d : datasets) {
                events.add(new FinalSnapshotRequested(service, r.id(), r.failedPrimary(),
                        d.snapshot(FINAL_PREFIX + r.generation()), ServiceDecider.commandId("final-snapshot", r.id(), d, 1), at));
            }
        } else if (r.step() == FailoverStep.SNAPSHOTTING && p.taken().keySet().containsAll(datasets)) {
            for (DatasetPromotion d : r.datasets()) {
                ServiceState.Taken taken = p.taken().get(d.primaryDataset());
                events.add(new FinalSendRequested(service, r.id(), r.failedPrimary(), taken.snapshot(), taken.guid(),
                        r.to(), d.dataset(), at));
            }
        } else if (r.step() == FailoverStep.PROMOTING && r.promotions().isEmpty() && r.promoted().isEmpty()) {
            for (DatasetPromotion d : r.datasets()) {
                events.add(new PromotionRequested(service, r.id(), r.to(), d.dataset(), r.generation(), d.rollbackTo(),
                        ServiceDecider.commandId("promote", r.id(), d.dataset(), 1), 1, at));
            }
        }
        return events;
    }

    /**
     * Stops the switchover before the standby's promotion: the old primary's datasets promoted back as they are (no
     * rollback: it holds every byte) at a newer generation, and its promote hook, so it serves again.
     */
    private static List<FailoverEvent> abort(ServiceName service, Running r, String reason, Instant at) {
        long back = r.generation() + 1;
        ServerId from = r.failedPrimary();
        List<FailoverEvent> events = new ArrayList<>();
        events.add(new SwitchoverAborted(service, r.id(), r.step(), reason + "; " + from + " is promoted back at"
                + " generation " + back + " and serves " + service + " again", from, back, at));
        for (DatasetName d : r.primaryDatasets()) {
            events.add(new PromotionRequested(service, r.id(), from, d, back, null,
                    ServiceDecider.commandId("promote-back", r.id(), d, 1), 1, at));
        }
        events.add(new HookRequested(service, r.id(), HookKind.PROMOTE, from, back, at));
        return events;
    }

    private static boolean runs(Running r, FailoverId failover) {
        return r != null && r.id().equals(failover);
    }
}
