package io.zsentinel.failover.process;

import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.AcknowledgeFailover;
import io.zsentinel.failover.api.CheckFailover;
import io.zsentinel.failover.api.FailoverAborted;
import io.zsentinel.failover.api.FailoverAcknowledged;
import io.zsentinel.failover.api.FailoverEvent;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.FailoverMessages;
import io.zsentinel.failover.api.FailoverStarted;
import io.zsentinel.failover.api.FailoverStep;
import io.zsentinel.failover.api.FormerPrimaryDemoted;
import io.zsentinel.failover.api.HookKind;
import io.zsentinel.failover.api.HookRequested;
import io.zsentinel.failover.api.PrimaryFenced;
import io.zsentinel.failover.api.PromotionRequested;
import io.zsentinel.failover.api.RecordServiceCommandOutcome;
import io.zsentinel.failover.api.ServiceCommand;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.failover.api.BeginFailover;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.zsentinel.failover.process.FailoverStory.ALICE;
import static io.zsentinel.failover.process.FailoverStory.DEADLINE;
import static io.zsentinel.failover.process.FailoverStory.FAILED_AT;
import static io.zsentinel.failover.process.FailoverStory.ID;
import static io.zsentinel.failover.process.FailoverStory.LEASE;
import static io.zsentinel.failover.process.FailoverStory.PRIMARY;
import static io.zsentinel.failover.process.FailoverStory.PROMOTED_AT;
import static io.zsentinel.failover.process.FailoverStory.REGISTERED;
import static io.zsentinel.failover.process.FailoverStory.STANDBY;
import static io.zsentinel.failover.process.FailoverStory.STANDBY_2;
import static io.zsentinel.failover.process.FailoverStory.SWITCHED_AT;
import static io.zsentinel.failover.process.FailoverStory.T0;
import static io.zsentinel.failover.process.FailoverStory.VM;
import static io.zsentinel.failover.process.FailoverStory.VM1;
import static io.zsentinel.failover.process.FailoverStory.VM2;
import static io.zsentinel.failover.process.FailoverStory.WINDOW;
import static io.zsentinel.failover.process.FailoverStory.begin;
import static io.zsentinel.failover.process.FailoverStory.bothPromoted;
import static io.zsentinel.failover.process.FailoverStory.demote;
import static io.zsentinel.failover.process.FailoverStory.fencedByHook;
import static io.zsentinel.failover.process.FailoverStory.force;
import static io.zsentinel.failover.process.FailoverStory.history;
import static io.zsentinel.failover.process.FailoverStory.promote;
import static io.zsentinel.failover.process.FailoverStory.promoted;
import static io.zsentinel.failover.process.FailoverStory.promotionFailed;
import static io.zsentinel.failover.process.FailoverStory.promotionRequested;
import static io.zsentinel.failover.process.FailoverStory.situation;
import static io.zsentinel.failover.process.FailoverStory.started;
import static io.zsentinel.failover.process.FailoverStory.switched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Service rules without Axon: what a failover's events fold to, and what holds on every path through it. */
class ServiceDeciderTest {
    private static ServiceState fold(List<FailoverEvent> events) {
        ServiceState state = ServiceState.initial(VM);
        for (FailoverEvent e : events) {
            state = ServiceDecider.evolve(state, e);
        }
        return state;
    }

    @Test
    void aSwitchedFailoverLeavesTheNewPrimaryAtTheNewGenerationBlockedAndTheDemotionsPending() {
        ServiceState state = fold(history(List.of(REGISTERED), started(), fencedByHook(), bothPromoted(), switched(true)));
        assertEquals(STANDBY, state.primary());
        assertEquals(2, state.generation());
        assertNull(state.running());
        assertTrue(state.blockedBy().contains("is not acknowledged"), state.blockedBy());
        assertEquals(Set.of(demote(VM1), demote(VM2)), state.pendingDemotions().keySet());
        assertEquals(Set.of(new ServiceState.PendingHook(ID, HookKind.DEMOTE, PRIMARY)), state.pendingHooks());
    }

    @Test
    void aRunningFailoverIsFoldedWithItsStepAndPendingCommands() {
        ServiceState state = fold(history(List.of(REGISTERED), started(), fencedByHook(), List.of(promoted(VM1, 1, PROMOTED_AT))));
        ServiceState.Running r = state.running();
        assertEquals(FailoverStep.PROMOTING, r.step());
        assertEquals(DEADLINE, r.deadline());
        assertEquals(LEASE, r.leaseLapsesAt());
        assertEquals(Set.of(VM2), r.promotions().keySet());
        assertEquals(new ServiceState.PendingPromotion(promote(VM2, 1), 1, VM2.snapshot("auto-3")), r.promotions().get(VM2));
        assertEquals(Set.of(VM1), r.promoted());
        assertEquals(2, state.generation());
        assertEquals(PRIMARY, state.primary(), "still served by the old primary until the switch");
    }

    @Test
    void anAbortedFailoverKeepsItsGenerationSoTheNextOneGoesHigher() {
        ServiceState aborted = fold(history(List.of(REGISTERED), started(), fencedByHook(), List.of(promoted(VM1, 1, PROMOTED_AT),
                new FailoverAborted(VM, ID, FailoverStep.PROMOTING, "deadline", DEADLINE),
                new FailoverAcknowledged(VM, ALICE, DEADLINE.plusSeconds(60)))));
        assertEquals(PRIMARY, aborted.primary());
        assertNull(aborted.blockedBy());
        List<FailoverEvent> again = ServiceDecider.decide(aborted, new BeginFailover(VM, situation(PRIMARY,
                DEADLINE.plusSeconds(120), 2), null, DEADLINE.plusSeconds(150), WINDOW));
        assertEquals(3, again.stream().filter(FailoverStarted.class::isInstance).map(FailoverStarted.class::cast)
                .findFirst().orElseThrow().generation());
    }

    @Test
    void decidingAgainOnTheSameHistoryGivesTheSameEventsAndIds() {
        ServiceState registered = fold(List.of(REGISTERED));
        assertEquals(ServiceDecider.decide(registered, begin()), ServiceDecider.decide(registered, begin()));
        assertEquals(started(), ServiceDecider.decide(registered, begin()));
    }

    /** Every event a failover can leave, as the domain-event topic and the event store write and read them. */
    @Test
    void everyEventOfAFailoverTravelsWhole() {
        List<FailoverEvent> events = history(List.of(REGISTERED), started(), fencedByHook(), List.of(
                        promotionFailed(VM1, 1, PROMOTED_AT), promotionRequested(VM1, 2, PROMOTED_AT),
                        new PrimaryFenced(VM, ID, PRIMARY, true, "lease", LEASE),
                        new PromotionRequested(VM, ID, STANDBY, VM1, 2, null, promote(VM1, 3), 3, LEASE),
                        new HookRequested(VM, null, HookKind.DEMOTE, PRIMARY, 2, LEASE)),
                bothPromoted(), switched(false), List.of(
                        new FormerPrimaryDemoted(VM, PRIMARY, VM1, demote(VM1), "read-only", SWITCHED_AT),
                        new FailoverAborted(VM, ID, FailoverStep.SWITCHING, "deadline", DEADLINE),
                        new FailoverAcknowledged(VM, ALICE, DEADLINE)),
                ServiceDecider.decide(fold(List.of(REGISTERED)), new BeginFailover(VM, situation(PRIMARY, FAILED_AT, 60),
                        null, LEASE, WINDOW)),
                ServiceDecider.decide(fold(List.of(REGISTERED)), force(situation(PRIMARY, FAILED_AT, 60), STANDBY_2)));
        EnvelopeCodec codec = new EnvelopeCodec(FailoverMessages.types());
        Serializer store = JacksonSerializer.builder().objectMapper(Json.newMapper()).build(); // as the controller's store
        Set<Class<?>> types = new HashSet<>();
        for (Message e : events) {
            assertEquals(e, codec.decode(codec.encode(codec.wrap(e, "controller", T0))).payload());
            SerializedObject<String> stored = store.serialize(e, String.class);
            assertEquals(e, store.deserialize(stored));
            types.add(e.getClass());
        }
        assertEquals(16, types.size(), "every event type of a service: " + types);
    }

    /**
     * Random answers, in random order, to 300 failovers: never a promotion before the failed primary is fenced, never
     * more than one end per failover, the generation only rises, and nothing but the running failover's commands is
     * ever answered with an event.
     */
    @Test
    void onEveryPathPromotionFollowsFencingAndAFailoverEndsOnce() {
        Set<String> reached = new HashSet<>();
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            List<FailoverEvent> history = new ArrayList<>(List.of(REGISTERED));
            ServiceState state = fold(history);
            Instant now = FAILED_AT;
            for (int step = 0; step < 40; step++) {
                now = now.plusSeconds(random.nextInt(40));
                ServiceCommand command = randomCommand(random, state, history, now);
                List<FailoverEvent> events;
                try {
                    events = ServiceDecider.decide(state, command);
                } catch (IllegalStateException refused) {
                    continue;
                }
                for (FailoverEvent e : events) {
                    state = ServiceDecider.evolve(state, e);
                    history.add(e);
                }
            }
            check(history, seed);
            history.forEach(e -> reached.add(e.getClass().getSimpleName()
                    + (e instanceof PrimaryFenced f ? (f.byLease() ? " by lease" : " by hook") : "")
                    + (e instanceof FailoverAborted a ? " " + a.step().text() : "")));
        }
        assertTrue(reached.containsAll(Set.of("ServiceSwitched", "PrimaryResumed", "PrimaryFenced by lease", "PrimaryFenced by hook",
                "FailoverAborted fencing", "FailoverAborted promoting", "FailoverAborted switching", "FailoverAcknowledged",
                "FailoverRefused")), "the random paths reach every branch: " + reached);
    }

    private static ServiceCommand randomCommand(Random random, ServiceState state, List<FailoverEvent> history, Instant now) {
        ServiceState.Running r = state.running();
        FailoverId id = r != null ? r.id() : lastFailover(history);
        switch (random.nextInt(8)) {
            case 0:
                return new BeginFailover(VM, situation(state.primary(), now, random.nextInt(30)),
                        random.nextInt(4) == 0 ? new io.zsentinel.failover.api.ForceFailover(VM,
                                state.primary().equals(STANDBY) ? STANDBY_2 : STANDBY, ALICE) : null,
                        now.plusSeconds(random.nextInt(400)), WINDOW); // a lease may outlast the window
            case 1:
                return new CheckFailover(VM, now);
            case 2:
                return new AcknowledgeFailover(VM, ALICE, now);
            case 3:
            case 4:
                HookKind kind = HookKind.values()[random.nextInt(3)];
                return new io.zsentinel.failover.api.RecordHookOutcome(VM, id, kind, kind == HookKind.PROMOTE && r != null
                        ? r.to() : r != null ? r.failedPrimary() : PRIMARY, random.nextBoolean(), "exit", now);
            case 7:
                // a copy that stood down on its own lease, reported by any server at any generation up to the next
                ServerId[] servers = {PRIMARY, STANDBY, STANDBY_2};
                return new io.zsentinel.failover.api.ResumePrimary(VM, servers[random.nextInt(3)],
                        random.nextBoolean() ? VM1 : VM2, random.nextInt((int) state.generation() + 2), now);
            default:
                List<PromotionRequested> requested = history.stream().filter(PromotionRequested.class::isInstance)
                        .map(PromotionRequested.class::cast).toList();
                if (requested.isEmpty()) {
                    return new CheckFailover(VM, now);
                }
                PromotionRequested p = requested.get(random.nextInt(requested.size()));
                return new RecordServiceCommandOutcome(VM, p.server(), p.dataset(), p.commandId(), "PromoteDataset",
                        random.nextInt(3) > 0, "done", now);
        }
    }

    private static FailoverId lastFailover(List<FailoverEvent> history) {
        FailoverId id = ID;
        for (FailoverEvent e : history) {
            if (e instanceof FailoverStarted s) {
                id = s.failover();
            }
        }
        return id;
    }

    private static void check(List<FailoverEvent> history, int seed) {
        Set<FailoverId> fenced = new HashSet<>();
        Set<FailoverId> ended = new HashSet<>();
        long generation = 1;
        ServerId primary = PRIMARY;
        FailoverId running = null;
        for (FailoverEvent e : history) {
            if (e instanceof io.zsentinel.failover.api.PrimaryResumed r) {
                assertNull(running, "seed " + seed + ": resumed while failover " + running + " runs");
                assertEquals(primary, r.server(), "seed " + seed + ": resumed a server that does not serve");
                assertTrue(r.generation() >= generation, "seed " + seed + ": resumed at " + r.generation() + " after "
                        + generation);
                assertTrue(r.from() < r.generation(), "seed " + seed + ": resumed without a newer generation");
                generation = r.generation();
            } else if (e instanceof FailoverStarted s) {
                assertTrue(s.generation() > generation, "seed " + seed + ": generation " + s.generation() + " after " + generation);
                generation = s.generation();
                running = s.failover();
            } else if (e instanceof PrimaryFenced f) {
                assertTrue(fenced.add(f.failover()), "seed " + seed + ": fenced twice");
            } else if (e instanceof PromotionRequested p) {
                assertTrue(fenced.contains(p.failover()), "seed " + seed + ": promotion before fencing");
                assertFalse(ended.contains(p.failover()), "seed " + seed + ": promotion after the end");
            } else if (e instanceof ServiceSwitched s) {
                assertTrue(ended.add(s.failover()), "seed " + seed + ": ended twice");
                primary = s.to();
                running = null;
            } else if (e instanceof FailoverAborted a) {
                assertTrue(ended.add(a.failover()), "seed " + seed + ": ended twice");
                running = null;
            }
        }
    }
}
