package io.zsentinel.projections.service;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.DatasetPromoted;
import io.zsentinel.failover.api.DatasetPromotion;
import io.zsentinel.failover.api.DemotionRequested;
import io.zsentinel.failover.api.FailoverAborted;
import io.zsentinel.failover.api.FailoverAcknowledged;
import io.zsentinel.failover.api.FailoverCandidateEvaluated;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.FailoverRefused;
import io.zsentinel.failover.api.FailoverStarted;
import io.zsentinel.failover.api.FailoverStep;
import io.zsentinel.failover.api.FinalSendRequested;
import io.zsentinel.failover.api.FinalSnapshotReceived;
import io.zsentinel.failover.api.FinalSnapshotRequested;
import io.zsentinel.failover.api.FinalSnapshotTaken;
import io.zsentinel.failover.api.FormerPrimaryDemoted;
import io.zsentinel.failover.api.HookKind;
import io.zsentinel.failover.api.HookRan;
import io.zsentinel.failover.api.HookRequested;
import io.zsentinel.failover.api.PrimaryFenced;
import io.zsentinel.failover.api.PrimaryResumed;
import io.zsentinel.failover.api.PromotionFailed;
import io.zsentinel.failover.api.PromotionRequested;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.ServiceRegistered;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.failover.api.StandbyChosen;
import io.zsentinel.failover.api.SwitchoverAborted;
import io.zsentinel.failover.api.SwitchoverCompleted;
import io.zsentinel.failover.api.SwitchoverStarted;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Services and their failovers, from the Service aggregate's events: who serves each service now, at which
 * generation, whether a failover runs (its step and deadline) or automatic failover is blocked, and every failover's
 * steps in order. Evaluations and refusals before a failover starts are kept with the next one, or as a refused
 * attempt of their own. A redelivered event is applied once (each failover keeps the events it has, by identity).
 */
@ProcessingGroup(ServicesView.PROCESSING_GROUP)
public class ServicesView {
    public static final String PROCESSING_GROUP = "services";
    /** Failovers kept per service (newest), so a flapping service cannot grow the view without bound. */
    public static final int FAILOVERS_KEPT = 50;

    private static final class Service {
        final ServiceName name;
        ServerId primary;
        List<ServerId> standbys;
        long generation;
        String blockedBy;
        FailoverId running;
        FailoverStep step;
        Instant deadline;
        /** Evaluations seen since the last outcome: the next StandbyChosen or FailoverRefused collects them. */
        final List<FailoverSummary.Step> evaluations = new ArrayList<>();
        final LinkedHashMap<FailoverId, Failover> failovers = new LinkedHashMap<>();

        Service(ServiceName name) {
            this.name = name;
        }
    }

    private static final class Failover {
        final FailoverId id;
        final ServiceName service;
        final ServerId from;
        ServerId to;
        long generation;
        String outcome = FailoverSummary.RUNNING;
        final Instant started;
        Instant ended;
        final List<FailoverSummary.Step> steps = new ArrayList<>();
        final java.util.Set<Object> applied = new java.util.HashSet<>();

        Failover(FailoverId id, ServiceName service, ServerId from, Instant started) {
            this.id = id;
            this.service = service;
            this.from = from;
            this.started = started;
        }

        FailoverSummary summary() {
            return new FailoverSummary(id, service, from, to, generation, outcome, started, ended, steps);
        }
    }

    /**
     * A service's latest switchover: from, to, its generation, its datasets (each copy on {@code to} and the final
     * snapshot it is promoted to), where it stands and whether it completed (its old primary is then to rejoin).
     */
    public record Switchover(ServiceName service, FailoverId id, ServerId from, ServerId to, long generation,
                             List<DatasetPromotion> datasets, FailoverStep step, String outcome) {
        Switchover at(FailoverStep next, String nextOutcome) {
            return new Switchover(service, id, from, to, generation, datasets, next, nextOutcome);
        }
    }

    private final Map<ServiceName, Service> services = new TreeMap<>();
    private final Map<ServiceName, Switchover> switchovers = new TreeMap<>();
    private final Map<FailoverId, Failover> failovers = new LinkedHashMap<>();
    /** Refused attempts get an id of their own so that `failover show` can explain them too. */
    private long refusedSeq;

    @EventHandler
    public synchronized void on(ServiceRegistered e) {
        Service s = services.computeIfAbsent(e.service(), Service::new);
        if (s.primary == null) {
            s.primary = e.primary();
            s.standbys = e.standbys();
            s.generation = e.generation();
        }
    }

    @EventHandler
    public synchronized void on(FailoverCandidateEvaluated e) {
        evaluation(service(e.service()), new FailoverSummary.Step("FailoverCandidateEvaluated", e.at(),
                e.candidate() + " (preference " + e.preference() + "): " + e.why()));
    }

    @EventHandler
    public synchronized void on(StandbyChosen e) {
        evaluation(service(e.service()), new FailoverSummary.Step("StandbyChosen", e.at(), e.chosen() + ": " + e.reason()));
    }

    @EventHandler
    public synchronized void on(FailoverRefused e) {
        Service s = service(e.service());
        if (s.failovers.values().stream().anyMatch(f -> f.applied.contains(e))) {
            return; // redelivered
        }
        FailoverId id = new FailoverId(java.util.UUID.nameUUIDFromBytes((e.service() + "/refused/" + e.at() + "/"
                + (refusedSeq++)).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Failover f = new Failover(id, e.service(), e.failedPrimary(), e.at());
        f.outcome = FailoverSummary.REFUSED;
        f.applied.add(e);
        f.ended = e.at();
        f.steps.addAll(s.evaluations);
        s.evaluations.clear();
        f.steps.add(new FailoverSummary.Step("FailoverRefused", e.at(), String.join("; ", e.reasons())
                + (e.forced() == null ? "" : " (forced by " + e.forced() + ")")));
        keep(s, f);
    }

    @EventHandler
    public synchronized void on(FailoverStarted e) {
        Service s = service(e.service());
        if (failovers.containsKey(e.failover())) {
            return;
        }
        Failover f = new Failover(e.failover(), e.service(), e.failedPrimary(), e.at());
        f.to = e.to();
        f.generation = e.generation();
        f.steps.addAll(s.evaluations);
        s.evaluations.clear();
        f.steps.add(new FailoverSummary.Step("FailoverStarted", e.at(), "from " + e.failedPrimary() + " to " + e.to()
                + " at generation " + e.generation() + ", " + e.datasets().size() + " dataset(s), deadline " + e.deadline()
                + (e.forced() == null ? "" : ", forced by " + e.forced())));
        keep(s, f);
        s.running = e.failover();
        s.step = FailoverStep.FENCING;
        s.deadline = e.deadline();
    }

    @EventHandler
    public synchronized void on(SwitchoverStarted e) {
        Service s = service(e.service());
        if (failovers.containsKey(e.failover())) {
            return;
        }
        Failover f = new Failover(e.failover(), e.service(), e.from(), e.at());
        f.to = e.to();
        f.generation = e.generation();
        f.steps.add(new FailoverSummary.Step("SwitchoverStarted", e.at(), "planned, from " + e.from() + " to " + e.to()
                + " at generation " + e.generation() + ", " + e.datasets().size() + " dataset(s), deadline " + e.deadline()
                + ", ordered by " + e.by()));
        keep(s, f);
        s.running = e.failover();
        s.step = FailoverStep.DEMOTING;
        s.deadline = e.deadline();
        switchovers.put(e.service(), new Switchover(e.service(), e.failover(), e.from(), e.to(), e.generation(),
                e.datasets(), FailoverStep.DEMOTING, FailoverSummary.RUNNING));
    }

    @EventHandler
    public synchronized void on(FinalSnapshotRequested e) {
        step(e.failover(), e, "FinalSnapshotRequested", e.at(), e.snapshot() + " on " + e.server());
        switchoverStep(e.service(), e.failover(), FailoverStep.SNAPSHOTTING);
    }

    @EventHandler
    public synchronized void on(FinalSnapshotTaken e) {
        step(e.failover(), e, "FinalSnapshotTaken", e.at(), e.snapshot() + " on " + e.server() + ", guid " + e.guid());
    }

    @EventHandler
    public synchronized void on(FinalSendRequested e) {
        step(e.failover(), e, "FinalSendRequested", e.at(), e.snapshot() + " to " + e.to() + ":" + e.copy());
        switchoverStep(e.service(), e.failover(), FailoverStep.SENDING);
    }

    @EventHandler
    public synchronized void on(FinalSnapshotReceived e) {
        step(e.failover(), e, "FinalSnapshotReceived", e.at(), e.dataset() + " on " + e.server() + ": " + e.detail());
    }

    @EventHandler
    public synchronized void on(SwitchoverAborted e) {
        step(e.failover(), e, "SwitchoverAborted", e.at(), "at step " + e.step().text() + ": " + e.reason());
        Service s = service(e.service());
        if (e.servedBy() != null) {
            s.primary = e.servedBy();
            s.generation = Math.max(s.generation, e.generation());
        } else {
            s.blockedBy = "switchover " + e.failover() + " was aborted at " + e.at() + " (" + e.step().text() + ")";
        }
        Switchover w = switchovers.get(e.service());
        if (w != null && w.id().equals(e.failover())) {
            switchovers.put(e.service(), w.at(e.step(), FailoverSummary.ABORTED));
        }
        end(s, e.failover(), FailoverSummary.ABORTED, e.at());
    }

    @EventHandler
    public synchronized void on(SwitchoverCompleted e) {
        step(e.failover(), e, "SwitchoverCompleted", e.at(), e.from() + " is to rejoin from " + e.to());
        Switchover w = switchovers.get(e.service());
        if (w != null && w.id().equals(e.failover())) {
            switchovers.put(e.service(), w.at(null, FailoverSummary.SWITCHED));
        }
    }

    /** Each service's latest switchover, running or ended. */
    public synchronized List<Switchover> switchovers() {
        return List.copyOf(switchovers.values());
    }

    private void switchoverStep(ServiceName service, FailoverId id, FailoverStep step) {
        Service s = service(service);
        if (id.equals(s.running)) {
            s.step = step;
        }
        Switchover w = switchovers.get(service);
        if (w != null && w.id().equals(id) && w.outcome().equals(FailoverSummary.RUNNING)) {
            switchovers.put(service, w.at(step, FailoverSummary.RUNNING));
        }
    }

    @EventHandler
    public synchronized void on(HookRequested e) {
        step(e.failover(), e, "HookRequested", e.at(), e.kind().text() + " hook about " + e.server());
        Service s = service(e.service());
        if (e.kind() == HookKind.PROMOTE && e.failover() != null && e.failover().equals(s.running)) {
            s.step = FailoverStep.SWITCHING;
        }
    }

    @EventHandler
    public synchronized void on(HookRan e) {
        step(e.failover(), e, "HookRan", e.at(), e.kind().text() + " hook about " + e.server() + ": "
                + (e.succeeded() ? "succeeded" : "failed") + ", " + e.detail());
    }

    @EventHandler
    public synchronized void on(PrimaryFenced e) {
        step(e.failover(), e, "PrimaryFenced", e.at(), e.server() + " fenced " + (e.byLease() ? "by its lapsed lease" : "by the fence hook")
                + ": " + e.detail());
        Service s = service(e.service());
        if (e.failover().equals(s.running)) {
            s.step = FailoverStep.PROMOTING;
        }
    }

    @EventHandler
    public synchronized void on(PromotionRequested e) {
        step(e.failover(), e, "PromotionRequested", e.at(), e.dataset() + " on " + e.server() + " (try " + e.attempt()
                + (e.rollbackTo() == null ? "" : ", rollback to " + e.rollbackTo()) + ")");
        Switchover w = switchovers.get(e.service());
        if (w != null && w.id().equals(e.failover()) && w.step() == FailoverStep.SENDING) {
            switchoverStep(e.service(), e.failover(), FailoverStep.PROMOTING);
        }
    }

    @EventHandler
    public synchronized void on(DatasetPromoted e) {
        step(e.failover(), e, "DatasetPromoted", e.at(), e.dataset() + " on " + e.server() + ": " + e.detail());
    }

    @EventHandler
    public synchronized void on(PromotionFailed e) {
        step(e.failover(), e, "PromotionFailed", e.at(), e.dataset() + " on " + e.server() + " (try " + e.attempt() + "): "
                + e.detail());
    }

    @EventHandler
    public synchronized void on(ServiceSwitched e) {
        step(e.failover(), e, "ServiceSwitched", e.at(), "served by " + e.to() + " at generation " + e.generation()
                + ", no longer by " + e.from());
        Service s = service(e.service());
        s.primary = e.to();
        s.generation = Math.max(s.generation, e.generation());
        Switchover w = switchovers.get(e.service());
        if (w == null || !w.id().equals(e.failover())) { // a planned switchover blocks nothing
            s.blockedBy = "failover " + e.failover() + " from " + e.from() + " to " + e.to() + " at " + e.at()
                    + " is not acknowledged";
        }
        end(s, e.failover(), FailoverSummary.SWITCHED, e.at());
    }

    @EventHandler
    public synchronized void on(PrimaryResumed e) {
        Service s = service(e.service());
        s.primary = e.server();
        s.generation = Math.max(s.generation, e.generation());
    }

    @EventHandler
    public synchronized void on(FailoverAborted e) {
        step(e.failover(), e, "FailoverAborted", e.at(), "at step " + e.step().text() + ": " + e.reason());
        Service s = service(e.service());
        s.blockedBy = "failover " + e.failover() + " was aborted at " + e.at() + " (" + e.step().text() + ")";
        end(s, e.failover(), FailoverSummary.ABORTED, e.at());
    }

    @EventHandler
    public synchronized void on(DemotionRequested e) {
        lastOf(e.service()).ifPresent(f -> step(f.id, e, "DemotionRequested", e.at(), e.dataset() + " on " + e.server()
                + " at generation " + e.generation()));
    }

    @EventHandler
    public synchronized void on(FormerPrimaryDemoted e) {
        lastOf(e.service()).ifPresent(f -> step(f.id, e, "FormerPrimaryDemoted", e.at(), e.dataset() + " on " + e.server()
                + ": " + e.detail()));
    }

    @EventHandler
    public synchronized void on(FailoverAcknowledged e) {
        service(e.service()).blockedBy = null;
    }

    @ResetHandler
    public synchronized void reset() {
        services.clear();
        failovers.clear();
        switchovers.clear();
        refusedSeq = 0;
    }

    /** Every service, by name. */
    public synchronized List<ServiceRow> services() {
        return services.values().stream().map(ServicesView::row).toList();
    }

    public synchronized Optional<ServiceRow> find(ServiceName name) {
        return Optional.ofNullable(services.get(name)).map(ServicesView::row);
    }

    /** One failover with its steps, running or ended. */
    public synchronized Optional<FailoverSummary> failover(FailoverId id) {
        return Optional.ofNullable(failovers.get(id)).map(Failover::summary);
    }

    /** A service's failovers, newest first (at most {@value #FAILOVERS_KEPT}). */
    public synchronized List<FailoverSummary> failovers(ServiceName name) {
        Service s = services.get(name);
        if (s == null) {
            return List.of();
        }
        List<FailoverSummary> list = new ArrayList<>(s.failovers.values().stream().map(Failover::summary).toList());
        java.util.Collections.reverse(list);
        return list;
    }

    /** The server serving {@code name} now (after failovers), empty for a service never registered. */
    public synchronized Optional<ServerId> primaryOf(ServiceName name) {
        return Optional.ofNullable(services.get(name)).map(s -> s.primary);
    }

    /** The services {@code server} serves now. */
    public synchronized List<ServiceName> servedBy(ServerId server) {
        return services.values().stream().filter(s -> server.equals(s.primary)).map(s -> s.name).toList();
    }

    private static ServiceRow row(Service s) {
        String state = s.running != null ? ServiceRow.FAILING_OVER : s.blockedBy != null ? ServiceRow.BLOCKED
                : ServiceRow.SERVING;
        FailoverSummary last = s.failovers.isEmpty() ? null
                : new ArrayList<>(s.failovers.values()).get(s.failovers.size() - 1).summary();
        return new ServiceRow(s.name, s.primary, s.standbys == null ? List.of() : s.standbys, s.generation, state,
                s.blockedBy, s.running, s.running == null ? null : s.step, s.running == null ? null : s.deadline, last);
    }

    /** Evaluations and the choice wait for the failover they lead to; a redelivered one is not kept twice. */
    private static void evaluation(Service s, FailoverSummary.Step step) {
        if (!s.evaluations.contains(step)) {
            s.evaluations.add(step);
        }
    }

    private Service service(ServiceName name) {
        return services.computeIfAbsent(name, Service::new);
    }

    private Optional<Failover> lastOf(ServiceName name) {
        Service s = services.get(name);
        if (s == null || s.failovers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ArrayList<>(s.failovers.values()).get(s.failovers.size() - 1));
    }

    private void step(FailoverId id, Object event, String type, Instant at, String text) {
        Failover f = id == null ? null : failovers.get(id);
        if (f != null && f.applied.add(event)) {
            f.steps.add(new FailoverSummary.Step(type, at, text));
        }
    }

    private void end(Service s, FailoverId id, String outcome, Instant at) {
        Failover f = failovers.get(id);
        if (f != null && f.outcome.equals(FailoverSummary.RUNNING)) {
            f.outcome = outcome;
            f.ended = at;
        }
        if (id.equals(s.running)) {
            s.running = null;
            s.step = null;
            s.deadline = null;
        }
    }

    private void keep(Service s, Failover f) {
        s.failovers.put(f.id, f);
        failovers.put(f.id, f);
        while (s.failovers.size() > FAILOVERS_KEPT) {
            FailoverId oldest = s.failovers.keySet().iterator().next();
            s.failovers.remove(oldest);
            failovers.remove(oldest);
        }
    }
}
