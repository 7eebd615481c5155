package io.zsentinel.failover.process;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.failover.api.AcknowledgeFailover;
import io.zsentinel.failover.api.BeginFailover;
import io.zsentinel.failover.api.BeginSwitchover;
import io.zsentinel.failover.api.CheckFailover;
import io.zsentinel.failover.api.DatasetPromoted;
import io.zsentinel.failover.api.DatasetPromotion;
import io.zsentinel.failover.api.DemotionRequested;
import io.zsentinel.failover.api.FailoverAborted;
import io.zsentinel.failover.api.FailoverAcknowledged;
import io.zsentinel.failover.api.FailoverCandidateEvaluated;
import io.zsentinel.failover.api.FailoverEvent;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.FailoverRefused;
import io.zsentinel.failover.api.FailoverStarted;
import io.zsentinel.failover.api.FailoverStep;
import io.zsentinel.failover.api.FormerPrimaryDemoted;
import io.zsentinel.failover.api.HookKind;
import io.zsentinel.failover.api.HookRan;
import io.zsentinel.failover.api.HookRequested;
import io.zsentinel.failover.api.PrimaryFenced;
import io.zsentinel.failover.api.PrimaryResumed;
import io.zsentinel.failover.api.PromotionFailed;
import io.zsentinel.failover.api.PromotionRequested;
import io.zsentinel.failover.api.RecordFinalSend;
import io.zsentinel.failover.api.RecordFinalSnapshot;
import io.zsentinel.failover.api.RecordHookOutcome;
import io.zsentinel.failover.api.RecordServiceCommandOutcome;
import io.zsentinel.failover.api.RegisterService;
import io.zsentinel.failover.api.ResumePrimary;
import io.zsentinel.failover.api.RetryDemotions;
import io.zsentinel.failover.api.ServiceCommand;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.ServiceRegistered;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.failover.api.StandbyChosen;
import io.zsentinel.failover.choose.Candidate;
import io.zsentinel.failover.choose.FailoverDecider;
import io.zsentinel.failover.choose.FailoverDecision;
import io.zsentinel.failover.choose.FailoverSituation;
import io.zsentinel.failover.process.ServiceState.PendingDemotion;
import io.zsentinel.failover.process.ServiceState.PendingHook;
import io.zsentinel.failover.process.ServiceState.PendingPromotion;
import io.zsentinel.failover.process.ServiceState.Running;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Service aggregate's rules as plain functions: a failover's state machine, each step an event, so that a
 * controller restarted mid-failover finishes it from the store. FENCING (fence hook, or the failed primary's lease
 * lapsing) → PROMOTING (every dataset on the chosen standby, each tried up to {@value #PROMOTION_ATTEMPTS} times) →
 * SWITCHING (promote hook) → switched, then the former primary is told to demote. Never a promotion before the
 * fence. The deadline lives in {@link FailoverStarted}; {@link CheckFailover} (a ticker) says the time, so it
 * survives restarts without a deadline manager. An answer nothing waits for (repeated, late, unknown) changes
 * nothing. Ids of failovers and agent commands are derived from what they belong to, so deciding twice on the same
 * history gives the same events.
 */
public final class ServiceDecider {
    /** Tries of one dataset's promotion before the failover is aborted. */
    public static final int PROMOTION_ATTEMPTS = 3;

    private ServiceDecider() {
    }

    public static List<FailoverEvent> decide(ServiceState state, ServiceCommand command) {
        if (command instanceof RegisterService c) {
            return state.registered() ? List.of()
                    : List.of(new ServiceRegistered(c.service(), c.primary(), c.standbys(), 1, c.at()));
        }
        if (!state.registered()) {
            throw new IllegalStateException("service " + command.service() + " is not registered: is it configured"
                    + " under services: in controller.yaml (the controller registers each at its start)?");
        }
        if (command instanceof BeginFailover c) {
            return begin(state, c);
        }
        if (command instanceof CheckFailover c) {
            return check(state, c);
        }
        if (command instanceof RecordHookOutcome c) {
            return hookRan(state, c);
        }
        if (command instanceof RecordServiceCommandOutcome c) {
            return commandAnswered(state, c);
        }
        if (command instanceof AcknowledgeFailover c) {
            return acknowledge(state, c);
        }
        if (command instanceof RetryDemotions c) {
            return retryDemotions(state, c);
        }
        if (command instanceof ResumePrimary c) {
            return resume(state, c);
        }
        if (command instanceof BeginSwitchover c) {
            return Switchovers.begin(state, c);
        }
        if (command instanceof RecordFinalSnapshot c) {
            return Switchovers.finalSnapshot(state, c);
        }
        if (command instanceof RecordFinalSend c) {
            return Switchovers.finalSend(state, c);
        }
        throw new IllegalArgumentException("unknown service command " + command.getClass().getName());
    }

    public static ServiceState evolve(ServiceState state, FailoverEvent event) {
        if (event instanceof PrimaryResumed e) {
            return state.served(e.generation(), e.from());
        }
        ServiceState next = evolveSteps(state, event);
        if (event instanceof ServiceSwitched e && runs(state.running(), e.failover())) {
            return next.served(e.generation(), 0); // the new primary's datasets carry the failover's generation
        }
        if (event instanceof ServiceRegistered e) {
            return next.served(e.generation(), 0);
        }
        return next;
    }

    private static ServiceState evolveSteps(ServiceState state, FailoverEvent event) {
        Running r = state.running();
        if (Switchovers.handles(event)) {
            return Switchovers.evolve(state, event);
        }
        if (event instanceof ServiceRegistered e) {
            return state.registered(e.primary(), e.standbys(), e.generation());
        }
        if (event instanceof FailoverCandidateEvaluated || event instanceof StandbyChosen || event instanceof FailoverRefused) {
            return state; // a decision's record; a refusal blocks nothing
        }
        if (event instanceof FailoverStarted e) {
            return state.running(Running.started(e.failover(), e.failedPrimary(), e.to(), e.generation(), e.datasets(),
                    e.leaseLapsesAt(), e.deadline()));
        }
        if (event instanceof HookRequested e) {
            ServiceState next = state.hookRequested(new PendingHook(e.failover(), e.kind(), e.server()));
            return e.kind() == HookKind.PROMOTE && runs(r, e.failover()) ? next.running(r.switching()) : next;
        }
        if (event instanceof HookRan e) {
            ServiceState next = state.hookAnswered(new PendingHook(e.failover(), e.kind(), e.server()));
            if (!e.succeeded() && runs(r, e.failover())) {
                if (e.kind() == HookKind.FENCE) {
                    return next.running(r.fenceFailed(e.detail()));
                }
                if (e.kind() == HookKind.PROMOTE) {
                    return next.running(r.promoteHookFailed(e.detail()));
                }
            }
            return r != null && r.isSwitchover() ? Switchovers.evolve(next, e) : next;
        }
        if (event instanceof PrimaryFenced e) {
            return runs(r, e.failover()) ? state.running(r.fencedNow()) : state;
        }
        if (event instanceof PromotionRequested e) {
            return runs(r, e.failover())
                    ? state.running(r.promoting(e.dataset(), new PendingPromotion(e.commandId(), e.attempt(), e.rollbackTo())))
                    : state;
        }
        if (event instanceof DatasetPromoted e) {
            return runs(r, e.failover()) ? state.running(r.answered(e.dataset(), true)) : state;
        }
        if (event instanceof PromotionFailed e) {
            return runs(r, e.failover()) ? state.running(r.answered(e.dataset(), false)) : state;
        }
        if (event instanceof ServiceSwitched e) {
            if (!runs(r, e.failover())) {
                return state;
            }
            if (r.isSwitchover()) {
                return Switchovers.evolve(state, e);
            }
            return state.ended(e.to(), "failover " + e.failover() + " from " + e.from() + " to " + e.to() + " at " + e.at()
                    + " is not acknowledged" + (r.promoteHookFailure() == null ? ""
                    : "; its promote hook on " + e.to() + " failed (" + r.promoteHookFailure() + "): check that "
                    + e.to() + " serves the service"));
        }
        if (event instanceof FailoverAborted e) {
            return runs(r, e.failover()) ? state.ended(state.primary(), "failover " + e.failover() + " was aborted at "
                    + e.at() + " (" + e.step().text() + "): " + e.reason()) : state;
        }
        if (event instanceof DemotionRequested e) {
            return state.demotionRequested(e.commandId(), new PendingDemotion(e.server(), e.dataset(), e.generation()));
        }
        if (event instanceof FormerPrimaryDemoted e) {
            return Switchovers.evolve(state.demoted(e.commandId()), e);
        }
        if (event instanceof FailoverAcknowledged) {
            return state.unblocked();
        }
        throw new IllegalArgumentException("unknown service event " + event.getClass().getName());
    }

    private static List<FailoverEvent> begin(ServiceState state, BeginFailover c) {
        ServiceName service = c.service();
        FailoverSituation s = c.situation();
        Running r = state.running();
        if (r != null) {
            if (c.force() != null) {
                throw new IllegalStateException("failover " + r.id() + " of " + service + " from " + r.failedPrimary()
                        + " to " + r.to() + " is running (" + r.step().text() + ", deadline " + r.deadline() + "): force"
                        + " another one once it has switched or been aborted");
            }
            return List.of(); // the detector says so again while the failover runs
        }
        if (!s.failedPrimary().equals(state.primary())) {
            if (c.force() != null) {
                throw new IllegalStateException(service + " is served by " + state.primary() + ", not by "
                        + s.failedPrimary() + ": a forced failover moves it away from its primary");
            }
            return List.of(); // a verdict on a server the service has left already
        }
        FailoverSituation own = new FailoverSituation(s.service(), s.failedPrimary(), s.primaryHealth(),
                s.primaryMaintenance(), s.datasets(), s.candidates(), state.blockedBy(), s.now());
        FailoverDecision decision = c.force() == null ? FailoverDecider.decide(own) : FailoverDecider.decide(own, c.force());
        List<FailoverEvent> events = new ArrayList<>(decision.events());
        decision.chosen().ifPresent(chosen -> {
            Instant now = s.now();
            long generation = state.generation() + 1;
            FailoverId id = failoverId(service, generation, now);
            Candidate standby = s.candidate(chosen.chosen());
            List<DatasetPromotion> datasets = s.datasets().stream().map(d -> promotion(standby, d)).toList();
            events.add(new FailoverStarted(service, id, s.failedPrimary(), chosen.chosen(), generation, datasets,
                    c.leaseLapsesAt(), now.plus(c.window()), chosen.forced(), now));
            events.add(new HookRequested(service, id, HookKind.FENCE, s.failedPrimary(), generation, now));
        });
        return events;
    }

    /**
     * The standby's copy of {@code dataset} (its own name there, such as standby/vm1 for tank/vm1), rolled back to
     * the newest snapshot it shares with the failed primary: that snapshot under the copy's name.
     */
    private static DatasetPromotion promotion(Candidate standby, DatasetName dataset) {
        DatasetName copy = standby.copyOf(dataset);
        return new DatasetPromotion(copy, Optional.ofNullable(standby.commonSnapshots().get(dataset))
                .map(common -> copy.snapshot(common.snapshot().shortName())).orElse(null), dataset);
    }

    private static List<FailoverEvent> check(ServiceState state, CheckFailover c) {
        Running r = state.running();
        if (r == null) {
            return List.of();
        }
        if (r.isSwitchover()) {
            return c.at().isBefore(r.deadline()) ? List.of() : Switchovers.deadlinePassed(r, c.service(), c.at());
        }
        if (!c.at().isBefore(r.deadline())) {
            return List.of(new FailoverAborted(c.service(), r.id(), r.step(), "not serving from " + r.to() + " by its"
                    + " deadline " + r.deadline() + ": " + waitingFor(r) + "; the service stays blocked until"
                    + " zsentinel failover ack " + c.service() + " (or a forced failover)", c.at()));
        }
        if (!r.fenced() && !c.at().isBefore(r.leaseLapsesAt())) {
            List<FailoverEvent> events = new ArrayList<>();
            events.add(new PrimaryFenced(c.service(), r.id(), r.failedPrimary(), true, "its lease lapsed certainly at "
                    + r.leaseLapsesAt() + ", so its agent has demoted itself" + (r.fenceFailure() != null
                    ? "; the fence hook had failed: " + r.fenceFailure() : "; the fence hook had not answered"), c.at()));
            events.addAll(promotions(c.service(), r, c.at()));
            return events;
        }
        return List.of();
    }

    private static List<FailoverEvent> hookRan(ServiceState state, RecordHookOutcome c) {
        if (!state.pendingHooks().contains(new PendingHook(c.failover(), c.kind(), c.server()))) {
            return List.of(); // repeated, late (its failover ended) or never requested
        }
        List<FailoverEvent> events = new ArrayList<>();
        events.add(new HookRan(c.service(), c.failover(), c.kind(), c.server(), c.succeeded(), c.detail(), c.at()));
        Running r = state.running();
        if (!runs(r, c.failover())) {
            return events;
        }
        if (r.isSwitchover()) {
            List<FailoverEvent> switchover = Switchovers.hookRan(state, r, c, (HookRan) events.get(0));
            if (switchover != null) {
                return switchover;
            }
            if (c.kind() == HookKind.PROMOTE && r.step() == FailoverStep.SWITCHING) {
                events.addAll(Switchovers.switched(r, c.service(), c.at()));
            }
            return events;
        }
        if (c.kind() == HookKind.FENCE && c.succeeded() && !r.fenced()) {
            events.add(new PrimaryFenced(c.service(), r.id(), r.failedPrimary(), false, "the fence hook succeeded: "
                    + c.detail(), c.at()));
            events.addAll(promotions(c.service(), r, c.at()));
        } else if (c.kind() == HookKind.PROMOTE && r.step() == FailoverStep.SWITCHING) {
            // the datasets are the writable primary at the new generation whatever the hook did
            // named as on the former primary: what it demotes, and what its replication links name
            List<DatasetName> datasets = r.datasets().stream().map(DatasetPromotion::primaryDataset).toList();
            events.add(new ServiceSwitched(c.service(), r.id(), r.failedPrimary(), r.to(), r.generation(), datasets, c.at()));
            for (DatasetName d : datasets) {
                events.add(new DemotionRequested(c.service(), r.failedPrimary(), d, r.generation(),
                        commandId("demote", r.id(), d, 1), c.at()));
            }
            events.add(new HookRequested(c.service(), r.id(), HookKind.DEMOTE, r.failedPrimary(), r.generation(), c.at()));
        }
        return events;
    }

    /**
     * A dataset its primary stood down on its own (its lease ran out) is resumed when nothing replaced that primary:
     * still the service's primary, no failover or switchover running, and the dataset at the generation the primary
     * serves — the first such dataset raises the generation, the others of the same outage (at the generation that
     * resume started from) are resumed at the same new one, or above a failover started since. A report at any other
     * generation is old news.
     */
    private static List<FailoverEvent> resume(ServiceState state, ResumePrimary c) {
        if (!c.server().equals(state.primary()) || state.running() != null) {
            return List.of(); // replaced, or a failover or switchover decides now; its demotion reaches the copy
        }
        boolean sameOutage = state.resumedFrom() != 0 && c.generation() == state.resumedFrom();
        if (c.generation() != state.servedAt() && !sameOutage) {
            return List.of();
        }
        // with the datasets resumed before unless a failover raised the generation since (it may have promoted a
        // copy at it before it was aborted): then above that
        long generation = sameOutage && state.generation() == state.servedAt() ? state.servedAt() : state.generation() + 1;
        UUID commandId = UUID.nameUUIDFromBytes(("resume/" + c.service() + "/" + c.server() + "/" + c.dataset() + "/"
                + generation).getBytes(StandardCharsets.UTF_8));
        PrimaryResumed resumed = new PrimaryResumed(c.service(), c.server(), c.dataset(), c.generation(), generation,
                commandId, c.at());
        if (generation == state.servedAt()) {
            return List.of(resumed); // another dataset of an outage already resumed: its promote hook has run
        }
        // the server serves again at a new generation: its promote hook runs as after a failover (e.g. a demote hook
        // the lease ran took its export or address away)
        return List.of(resumed, new HookRequested(c.service(), null, HookKind.PROMOTE, c.server(), generation, c.at()));
    }

    /** Each demotion {@code c.server()} has not carried out, ordered again under its first command id. */
    private static List<FailoverEvent> retryDemotions(ServiceState state, RetryDemotions c) {
        List<FailoverEvent> events = new ArrayList<>();
        state.pendingDemotions().forEach((commandId, d) -> {
            if (d.server().equals(c.server())) {
                events.add(new DemotionRequested(c.service(), d.server(), d.dataset(), d.generation(), commandId, c.at()));
            }
        });
        return events;
    }

    /**
     * Matched by command id and server alone: an agent names the dataset as it holds it (a standby's copy of
     * {@code tank/vm1} may be {@code standby/vm1}), the service by the primary's name.
     */
    private static List<FailoverEvent> commandAnswered(ServiceState state, RecordServiceCommandOutcome c) {
        Running r = state.running();
        if (r != null && c.server().equals(r.to())) {
            for (Map.Entry<DatasetName, PendingPromotion> p : r.promotions().entrySet()) {
                if (p.getValue().commandId().equals(c.commandId())) {
                    return promotionAnswered(r, p.getKey(), p.getValue(), c);
                }
            }
        }
        if (r != null && r.isSwitchover()) {
            List<FailoverEvent> switchover = Switchovers.demotionAnswered(state, r, c);
            if (switchover != null) {
                return switchover;
            }
        }
        PendingDemotion d = state.pendingDemotions().get(c.commandId());
        if (d != null && d.server().equals(c.server()) && c.succeeded()) {
            return List.of(new FormerPrimaryDemoted(c.service(), d.server(), d.dataset(), c.commandId(), c.detail(), c.at()));
        }
        // a refused demotion stays pending (the agent acts on it when it can); anything else nothing waits for
        return List.of();
    }

    private static List<FailoverEvent> promotionAnswered(Running r, DatasetName dataset, PendingPromotion p,
                                                         RecordServiceCommandOutcome c) {
        List<FailoverEvent> events = new ArrayList<>();
        if (c.succeeded()) {
            events.add(new DatasetPromoted(c.service(), r.id(), r.to(), dataset, c.commandId(), c.detail(), c.at()));
            boolean last = r.datasets().stream().map(DatasetPromotion::dataset)
                    .allMatch(d -> d.equals(dataset) || r.promoted().contains(d));
            if (last) {
                events.add(new HookRequested(c.service(), r.id(), HookKind.PROMOTE, r.to(), r.generation(), c.at()));
            }
            return events;
        }
        events.add(new PromotionFailed(c.service(), r.id(), r.to(), dataset, c.commandId(), p.attempt(), c.detail(), c.at()));
        if (p.attempt() < PROMOTION_ATTEMPTS) {
            events.add(new PromotionRequested(c.service(), r.id(), r.to(), dataset, r.generation(), p.rollbackTo(),
                    commandId("promote", r.id(), dataset, p.attempt() + 1), p.attempt() + 1, c.at()));
        } else {
            events.add(new FailoverAborted(c.service(), r.id(), FailoverStep.PROMOTING, dataset + " could not be"
                    + " promoted on " + r.to() + " in " + PROMOTION_ATTEMPTS + " tries (last: " + c.detail() + "); see the"
                    + " agent log of " + r.to() + ", then acknowledge (zsentinel failover ack " + c.service()
                    + ") or force the failover to another standby", c.at()));
        }
        return events;
    }

    private static List<FailoverEvent> acknowledge(ServiceState state, AcknowledgeFailover c) {
        Running r = state.running();
        if (r != null) {
            throw new IllegalStateException("failover " + r.id() + " of " + c.service() + " is running ("
                    + r.step().text() + ", deadline " + r.deadline() + "): acknowledge it once it has switched or been"
                    + " aborted");
        }
        if (state.blockedBy() == null) {
            throw new IllegalStateException("automatic failover of " + c.service() + " is not blocked: nothing to"
                    + " acknowledge");
        }
        return List.of(new FailoverAcknowledged(c.service(), c.by(), c.at()));
    }

    /** Promotion of every dataset of {@code r} on its new primary, first tries: only once the old one is fenced. */
    private static List<FailoverEvent> promotions(ServiceName service, Running r, Instant at) {
        return r.datasets().stream().<FailoverEvent>map(d -> new PromotionRequested(service, r.id(), r.to(), d.dataset(),
                r.generation(), d.rollbackTo(), commandId("promote", r.id(), d.dataset(), 1), 1, at)).toList();
    }

    /** What a failover stuck on, in the operator's words. */
    private static String waitingFor(Running r) {
        return switch (r.step()) {
            case FENCING -> r.failedPrimary() + " was not fenced: " + (r.fenceFailure() != null
                    ? "its fence hook failed (" + r.fenceFailure() + ")" : "its fence hook did not answer")
                    + " and its lease lapses only at " + r.leaseLapsesAt();
            case PROMOTING -> "no answer from " + r.to() + "'s agent to the promotion of " + r.promotions().keySet()
                    + " (is it running?)";
            case SWITCHING -> "the promote hook on " + r.to() + " did not answer";
            case DEMOTING, SNAPSHOTTING, SENDING -> "a switchover's " + r.step().text(); // a switchover's own words
        };
    }

    private static boolean runs(Running r, FailoverId failover) {
        return r != null && r.id().equals(failover);
    }

    /** The same service, generation and start give the same id: deciding again on the same history changes nothing. */
    static FailoverId failoverId(ServiceName service, long generation, Instant at) {
        return new FailoverId(UUID.nameUUIDFromBytes(("failover/" + service + "/" + generation + "/" + at)
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh id per failover, dataset and try, the same on every decision of that try. */
    static UUID commandId(String kind, FailoverId failover, DatasetName dataset, int attempt) {
        return UUID.nameUUIDFromBytes((kind + "/" + failover + "/" + dataset + "/" + attempt).getBytes(StandardCharsets.UTF_8));
    }
}
