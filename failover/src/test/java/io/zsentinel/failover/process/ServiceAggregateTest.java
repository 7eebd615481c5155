package io.zsentinel.failover.process;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.AcknowledgeFailover;
import io.zsentinel.failover.api.BeginFailover;
import io.zsentinel.failover.api.DatasetPromotion;
import io.zsentinel.failover.api.FailoverAborted;
import io.zsentinel.failover.api.FailoverAcknowledged;
import io.zsentinel.failover.api.FailoverCandidateEvaluated;
import io.zsentinel.failover.api.DemotionRequested;
import io.zsentinel.failover.api.FailoverEvent;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.FailoverRefused;
import io.zsentinel.failover.api.FailoverStarted;
import io.zsentinel.failover.api.FailoverStep;
import io.zsentinel.failover.api.FormerPrimaryDemoted;
import io.zsentinel.failover.api.HookKind;
import io.zsentinel.failover.api.HookRequested;
import io.zsentinel.failover.api.PrimaryFenced;
import io.zsentinel.failover.api.PrimaryResumed;
import io.zsentinel.failover.api.RecordHookOutcome;
import io.zsentinel.failover.api.RecordServiceCommandOutcome;
import io.zsentinel.failover.api.RegisterService;
import io.zsentinel.failover.api.ResumePrimary;
import io.zsentinel.failover.api.RetryDemotions;
import io.zsentinel.failover.api.ServiceRegistered;
import io.zsentinel.failover.api.StandbyChosen;
import io.zsentinel.failover.choose.FailoverSituation;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static io.zsentinel.failover.process.FailoverStory.ALICE;
import static io.zsentinel.failover.process.FailoverStory.DEADLINE;
import static io.zsentinel.failover.process.FailoverStory.FAILED_AT;
import static io.zsentinel.failover.process.FailoverStory.FENCED_AT;
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
import static io.zsentinel.failover.process.FailoverStory.check;
import static io.zsentinel.failover.process.FailoverStory.demote;
import static io.zsentinel.failover.process.FailoverStory.fencedByHook;
import static io.zsentinel.failover.process.FailoverStory.force;
import static io.zsentinel.failover.process.FailoverStory.history;
import static io.zsentinel.failover.process.FailoverStory.hook;
import static io.zsentinel.failover.process.FailoverStory.hookRan;
import static io.zsentinel.failover.process.FailoverStory.primaryFailed;
import static io.zsentinel.failover.process.FailoverStory.promote;
import static io.zsentinel.failover.process.FailoverStory.promoted;
import static io.zsentinel.failover.process.FailoverStory.promotion;
import static io.zsentinel.failover.process.FailoverStory.promotionFailed;
import static io.zsentinel.failover.process.FailoverStory.promotionRequested;
import static io.zsentinel.failover.process.FailoverStory.register;
import static io.zsentinel.failover.process.FailoverStory.situation;
import static io.zsentinel.failover.process.FailoverStory.started;
import static io.zsentinel.failover.process.FailoverStory.switched;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.axonframework.test.matchers.Matchers.predicate;
import static org.hamcrest.Matchers.containsString;

/** The Service aggregate, a failover's every branch: given the history up to a step, the next command, the events. */
class ServiceAggregateTest {
    private AggregateTestFixture<ServiceAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ServiceAggregate.class);
    }

    /** An event of {@code type} that passes {@code test}, for events whose words are checked in part. */
    @SuppressWarnings("unchecked")
    private static <T> Matcher<Object> event(Class<T> type, Predicate<T> test) {
        return (Matcher<Object>) (Matcher<?>) predicate(o -> type.isInstance(o) && test.test(type.cast(o)));
    }

    private static Matcher<Object> is(Object expected) {
        return event(Object.class, expected::equals);
    }

    @SafeVarargs
    private static Matcher<List<EventMessage<?>>> events(Matcher<Object>... matchers) {
        List<Matcher<? super Object>> all = new ArrayList<>(List.of(matchers));
        all.add(andNoMore());
        @SuppressWarnings("unchecked")
        Matcher<List<EventMessage<?>>> m = payloadsMatching(
                exactSequenceOf(all.toArray(new Matcher[0])));
        return m;
    }

    private static Object[] all(List<? extends FailoverEvent> events) {
        return events.toArray();
    }

    // --- registration

    @Test
    void aServiceIsRegisteredOnceAtGenerationOne() {
        fixture.givenNoPriorActivity().when(register(T0)).expectEvents(REGISTERED);
    }

    @Test
    void registeringAgainChangesNothingNotEvenAnotherConfiguredPrimary() {
        fixture.given(REGISTERED).when(new RegisterService(VM, STANDBY, List.of(PRIMARY),
                T0.plusSeconds(60))).expectNoEvents();
    }

    // --- the happy path, with a fence hook

    @Test
    void aFailedPrimaryIsFailedOverToTheFirstEligibleStandbyFencingFirst() {
        fixture.given(REGISTERED).when(begin()).expectEvents(all(started()));
    }

    @Test
    void aSucceededFenceHookFencesThePrimaryAndEveryDatasetIsPromoted() {
        fixture.given(history(List.of(REGISTERED), started()))
                .when(hook(HookKind.FENCE, PRIMARY, true, "fence.sh exit 0 in 1.2 s", FENCED_AT))
                .expectEvents(all(fencedByHook()));
    }

    @Test
    void aStandbyHoldingItsCopiesUnderOtherNamesIsToldToPromoteThoseRolledBackToTheCommonSnapshot() {
        FailoverSituation s = primaryFailed();
        DatasetName copy1 = DatasetName.of("standby/vm1");
        DatasetName copy2 = DatasetName.of("standby/vm2");
        java.util.Map<ServerId, io.zsentinel.failover.choose.Candidate> candidates = new java.util.HashMap<>(s.candidates());
        io.zsentinel.failover.choose.Candidate standby = s.candidate(STANDBY);
        candidates.put(STANDBY, new io.zsentinel.failover.choose.Candidate(STANDBY, standby.health(), false,
                standby.commonSnapshots(), java.util.Map.of(VM1, copy1, VM2, copy2)));
        FailoverSituation renamed = new FailoverSituation(s.service(), s.failedPrimary(), s.primaryHealth(), false,
                s.datasets(), candidates, null, s.now());
        fixture.given(REGISTERED).when(new BeginFailover(VM, renamed, null, LEASE, WINDOW))
                .expectEventsMatching(payloadsMatching(org.axonframework.test.matchers.Matchers.listWithAnyOf(
                        event(FailoverStarted.class, e -> e.datasets().equals(List.of(
                                new DatasetPromotion(copy1, copy1.snapshot("auto-2"), VM1),
                                new DatasetPromotion(copy2, copy2.snapshot("auto-3"), VM2)))))));
    }

    @Test
    void thePromoteHookIsRequestedOnceEveryDatasetIsPromoted() {
        fixture.given(history(List.of(REGISTERED), started(), fencedByHook()))
                .when(promotion(VM1, 1, true, PROMOTED_AT))
                .expectEvents(promoted(VM1, 1, PROMOTED_AT));
        fixture.given(history(List.of(REGISTERED), started(), fencedByHook(), List.of(promoted(VM1, 1, PROMOTED_AT))))
                .when(promotion(VM2, 1, true, PROMOTED_AT))
                .expectEvents(all(bothPromoted().subList(1, 3)));
    }

    @Test
    void anAgentNamingTheDatasetAsItHoldsItIsUnderstoodByTheCommandId() {
        fixture.given(history(List.of(REGISTERED), started(), fencedByHook()))
                .when(new RecordServiceCommandOutcome(VM, STANDBY, DatasetName.of("standby/vm1"),
                        promote(VM1, 1), "PromoteDataset", true, "promoted at generation 2", PROMOTED_AT))
                .expectEvents(promoted(VM1, 1, PROMOTED_AT));
    }

    @Test
    void thePromoteHooksOutcomeSwitchesTheServiceAndTheFormerPrimaryIsToldToDemote() {
        fixture.given(history(List.of(REGISTERED), started(), fencedByHook(), bothPromoted()))
                .when(hook(HookKind.PROMOTE, STANDBY, true, "serve.sh exit 0", SWITCHED_AT))
                .expectEvents(all(switched(true)));
    }

    @Test
    void aFailedPromoteHookStillSwitchesAndTheBlockNamesIt() {
        fixture.given(history(List.of(REGISTERED), started(), fencedByHook(), bothPromoted()))
                .when(hook(HookKind.PROMOTE, STANDBY, false, "serve.sh exit 3", SWITCHED_AT))
                .expectEvents(all(switched(false)));
        // the block reason reaches the refusal of the next automatic failover
        fixture.given(history(List.of(REGISTERED), started(), fencedByHook(), bothPromoted(), switched(false)))
                .when(new BeginFailover(VM, situation(STANDBY, SWITCHED_AT.plusSeconds(60), 1), null,
                        SWITCHED_AT.plusSeconds(90), WINDOW))
                .expectEventsMatching(events(event(FailoverCandidateEvaluated.class, e -> e.candidate().equals(STANDBY_2)),
                        event(FailoverRefused.class, r -> r.reasons().stream().anyMatch(
                                s -> s.contains("its promote hook on standby failed (serve.sh exit 3)")))));
    }

    @Test
    void theFormerPrimaryDemotingItselfAndItsDemoteHookAreRecorded() {
        List<FailoverEvent> done = history(List.of(REGISTERED), started(), fencedByHook(), bothPromoted(), switched(true));
        Instant back = SWITCHED_AT.plusSeconds(600);
        fixture.given(done)
                .when(new RecordServiceCommandOutcome(VM, PRIMARY, VM1, demote(VM1), "DemoteDataset", true, "read-only at"
                        + " generation 2", back))
                .expectEvents(new FormerPrimaryDemoted(VM, PRIMARY, VM1, demote(VM1), "read-only at generation 2", back));
        fixture.given(done).when(hook(HookKind.DEMOTE, PRIMARY, true, "unserve.sh exit 0", back))
                .expectEvents(hookRan(HookKind.DEMOTE, PRIMARY, true, "unserve.sh exit 0", back));
        // a refused demotion stays pending: nothing recorded
        fixture.given(done)
                .when(new RecordServiceCommandOutcome(VM, PRIMARY, VM1, demote(VM1), "DemoteDataset", false, "no such"
                        + " dataset", back))
                .expectNoEvents();
    }

    @Test
    void demotionsTheFormerPrimaryHasNotCarriedOutAreOrderedAgainWithTheirFirstCommandIdsWhenItCanActAgain() {
        List<FailoverEvent> done = history(List.of(REGISTERED), started(), fencedByHook(), bothPromoted(), switched(true));
        Instant poolBack = SWITCHED_AT.plusSeconds(900);
        // both refused while primary's pool was gone; VM2's carried out later (its agent acted on it at once)
        List<FailoverEvent> oneDone = new ArrayList<>(done);
        oneDone.add(new FormerPrimaryDemoted(VM, PRIMARY, VM2, demote(VM2), "read-only at generation 2", poolBack));
        fixture.given(oneDone)
                .when(new RetryDemotions(VM, PRIMARY, "pool primary is ONLINE again", poolBack.plusSeconds(1)))
                .expectEvents(new DemotionRequested(VM, PRIMARY, VM1, 2, demote(VM1), poolBack.plusSeconds(1)));
        fixture.given(done)
                .when(new RetryDemotions(VM, PRIMARY, "pool primary is ONLINE again", poolBack))
                .expectEvents(new DemotionRequested(VM, PRIMARY, VM1, 2, demote(VM1), poolBack),
                        new DemotionRequested(VM, PRIMARY, VM2, 2, demote(VM2), poolBack));
        // the answer to the order given again is matched as the first one's
        List<FailoverEvent> orderedAgain = new ArrayList<>(done);
        orderedAgain.add(new DemotionRequested(VM, PRIMARY, VM1, 2, demote(VM1), poolBack));
        fixture.given(orderedAgain)
                .when(new RecordServiceCommandOutcome(VM, PRIMARY, VM1, demote(VM1), "DemoteDataset", true,
                        "read-only at generation 2", poolBack.plusSeconds(2)))
                .expectEvents(new FormerPrimaryDemoted(VM, PRIMARY, VM1, demote(VM1), "read-only at generation 2",
                        poolBack.plusSeconds(2)));
        // nothing pending for that server: nothing ordered
        fixture.given(done).when(new RetryDemotions(VM, STANDBY, "pool standby is ONLINE again", poolBack))
                .expectNoEvents();
        fixture.given(List.of(REGISTERED)).when(new RetryDemotions(VM, PRIMARY, "pool primary is ONLINE again", poolBack))
                .expectNoEvents();
    }

    // --- a primary that stood down on its own lease (Kafka out for the lease) and was replaced by nobody

    @Test
    void aPrimaryThatStoodDownOnItsLeaseIsResumedAtANewGenerationWhenNothingReplacedIt() {
        Instant back = T0.plusSeconds(120);
        fixture.given(List.of(REGISTERED))
                .when(new ResumePrimary(VM, PRIMARY, VM1, 1, back))
                .expectEvents(new PrimaryResumed(VM, PRIMARY, VM1, 1, 2, resume(VM1, 2), back),
                        new HookRequested(VM, null, HookKind.PROMOTE, PRIMARY, 2, back));
        // its other dataset, stood down in the same outage, is resumed at the same new generation; a report of the
        // first again (its promotion not carried out yet) orders it again under the same command id; the promote hook
        // ran with the first
        List<FailoverEvent> oneResumed = List.of(REGISTERED, new PrimaryResumed(VM, PRIMARY, VM1, 1, 2, resume(VM1, 2), back));
        fixture.given(oneResumed).when(new ResumePrimary(VM, PRIMARY, VM2, 1, back.plusSeconds(1)))
                .expectEvents(new PrimaryResumed(VM, PRIMARY, VM2, 1, 2, resume(VM2, 2), back.plusSeconds(1)));
        fixture.given(oneResumed).when(new ResumePrimary(VM, PRIMARY, VM1, 1, back.plusSeconds(60)))
                .expectEvents(new PrimaryResumed(VM, PRIMARY, VM1, 1, 2, resume(VM1, 2), back.plusSeconds(60)));
        // the next outage starts from the resumed generation
        fixture.given(oneResumed).when(new ResumePrimary(VM, PRIMARY, VM1, 2, back.plusSeconds(3600)))
                .expectEvents(new PrimaryResumed(VM, PRIMARY, VM1, 2, 3, resume(VM1, 3), back.plusSeconds(3600)),
                        new HookRequested(VM, null, HookKind.PROMOTE, PRIMARY, 3, back.plusSeconds(3600)));
        // an aborted failover raised the generation but promoted nothing for good: still resumed, above it
        List<FailoverEvent> aborted = history(List.of(REGISTERED), started(),
                List.of(new FailoverAborted(VM, ID, FailoverStep.FENCING, "no fence by the deadline", DEADLINE)));
        fixture.given(aborted).when(new ResumePrimary(VM, PRIMARY, VM1, 1, DEADLINE.plusSeconds(5)))
                .expectEvents(new PrimaryResumed(VM, PRIMARY, VM1, 1, 3, resume(VM1, 3), DEADLINE.plusSeconds(5)),
                        new HookRequested(VM, null, HookKind.PROMOTE, PRIMARY, 3, DEADLINE.plusSeconds(5)));
    }

    @Test
    void aStoodDownCopyIsNeverResumedWhileAFailoverDecidesOrAfterOneReplacedIt() {
        Instant back = FAILED_AT.plusSeconds(20);
        // a failover runs (its lease fence or its promotions may be under way): its outcome decides
        fixture.given(history(List.of(REGISTERED), started())).when(new ResumePrimary(VM, PRIMARY, VM1, 1, back))
                .expectNoEvents();
        // switched to the standby: the old primary's report is old news, the failover's demotion reaches it
        fixture.given(history(List.of(REGISTERED), started(), fencedByHook(), bothPromoted(), switched(true)))
                .when(new ResumePrimary(VM, PRIMARY, VM1, 1, SWITCHED_AT.plusSeconds(30))).expectNoEvents();
        // a server that does not serve the service, or a generation the primary does not serve at
        fixture.given(List.of(REGISTERED)).when(new ResumePrimary(VM, STANDBY, VM1, 1, back)).expectNoEvents();
        fixture.given(List.of(REGISTERED)).when(new ResumePrimary(VM, PRIMARY, VM1, 0, back)).expectNoEvents();
        fixture.given(List.of(REGISTERED)).when(new ResumePrimary(VM, PRIMARY, VM1, 2, back)).expectNoEvents();
    }

    private static UUID resume(DatasetName dataset, long generation) {
        return UUID.nameUUIDFromBytes(("resume/" + VM + "/" + PRIMARY + "/" + dataset + "/" + generation)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    // --- fencing without a fence hook's word

    @Test
    void withoutAFenceHookPromotionWaitsForTheLease() {
        List<FailoverEvent> noHook = history(List.of(REGISTERED), started(),
                List.of(hookRan(HookKind.FENCE, PRIMARY, false, "no fence hook configured", FAILED_AT)));
        fixture.given(history(List.of(REGISTERED), started()))
                .when(hook(HookKind.FENCE, PRIMARY, false, "no fence hook configured", FAILED_AT))
                .expectEvents(hookRan(HookKind.FENCE, PRIMARY, false, "no fence hook configured", FAILED_AT));
        fixture.given(noHook).when(check(LEASE.minusMillis(1))).expectNoEvents();
        fixture.given(noHook).when(check(LEASE))
                .expectEventsMatching(events(event(PrimaryFenced.class, f -> f.byLease() && f.server().equals(PRIMARY)
                                && f.at().equals(LEASE) && f.detail().contains("no fence hook configured")),
                        is(promotionRequested(VM1, 1, LEASE)), is(promotionRequested(VM2, 1, LEASE))));
    }

    @Test
    void aFailedFenceHookPromotesNothingUntilTheLeaseLapses() {
        List<FailoverEvent> failed = history(List.of(REGISTERED), started(),
                List.of(hookRan(HookKind.FENCE, PRIMARY, false, "fence.sh exit 1: IPMI unreachable", FENCED_AT)));
        fixture.given(history(List.of(REGISTERED), started()))
                .when(hook(HookKind.FENCE, PRIMARY, false, "fence.sh exit 1: IPMI unreachable", FENCED_AT))
                .expectEvents(failed.get(failed.size() - 1));
        fixture.given(failed).when(check(FENCED_AT.plusSeconds(1))).expectNoEvents();
        fixture.given(failed).when(check(LEASE.plusSeconds(1)))
                .expectEventsMatching(events(event(PrimaryFenced.class, f -> f.byLease() && f.detail().contains("IPMI")),
                        is(promotionRequested(VM1, 1, LEASE.plusSeconds(1))),
                        is(promotionRequested(VM2, 1, LEASE.plusSeconds(1)))));
    }

    @Test
    void aFenceHookThatNeverAnswersIsOvertakenByTheLease() {
        fixture.given(history(List.of(REGISTERED), started())).when(check(LEASE))
                .expectEventsMatching(events(event(PrimaryFenced.class, PrimaryFenced::byLease),
                        is(promotionRequested(VM1, 1, LEASE)), is(promotionRequested(VM2, 1, LEASE))));
        // its late success is recorded, but fences nothing twice
        List<FailoverEvent> byLease = history(List.of(REGISTERED), started(), List.of(new PrimaryFenced(VM, ID, PRIMARY, true,
                "lease", LEASE), promotionRequested(VM1, 1, LEASE), promotionRequested(VM2, 1, LEASE)));
        fixture.given(byLease).when(hook(HookKind.FENCE, PRIMARY, true, "fence.sh exit 0", LEASE.plusSeconds(5)))
                .expectEvents(hookRan(HookKind.FENCE, PRIMARY, true, "fence.sh exit 0", LEASE.plusSeconds(5)));
    }

    // --- choosing

    @Test
    void noEligibleStandbyRefusesTheFailoverAndStartsNothing() {
        FailoverSituation stale = situation(PRIMARY, FAILED_AT, 60);
        fixture.given(REGISTERED).when(new BeginFailover(VM, stale, null, LEASE, WINDOW))
                .expectEventsMatching(events(event(FailoverCandidateEvaluated.class, e -> !e.eligible()),
                        event(FailoverCandidateEvaluated.class, e -> !e.eligible()),
                        event(FailoverRefused.class, r -> r.failedPrimary().equals(PRIMARY))));
        // a refusal blocks nothing: there is nothing to acknowledge
        fixture.given(REGISTERED, new FailoverRefused(VM, PRIMARY, List.of("stale"), null, FAILED_AT))
                .when(new AcknowledgeFailover(VM, ALICE, FAILED_AT.plusSeconds(60)))
                .expectException(IllegalStateException.class);
    }

    @Test
    void aFailedServerThatIsNotThePrimaryIsIgnored() {
        fixture.given(REGISTERED)
                .when(new BeginFailover(VM, situation(STANDBY, FAILED_AT, 2), null, LEASE, WINDOW))
                .expectNoEvents();
        fixture.given(REGISTERED).when(force(situation(STANDBY, FAILED_AT, 2), STANDBY_2))
                .expectException(IllegalStateException.class)
                .expectExceptionMessage(containsString("is served by primary, not by standby"));
    }

    @Test
    void aSecondVerdictWhileTheFailoverRunsIsIgnoredAndAForceIsRefused() {
        fixture.given(history(List.of(REGISTERED), started())).when(begin()).expectNoEvents();
        fixture.given(history(List.of(REGISTERED), started())).when(force(primaryFailed(), STANDBY_2))
                .expectException(IllegalStateException.class)
                .expectExceptionMessage(containsString("is running (fencing"));
    }

    // --- promotion

    @Test
    void aPromotionThatFailsOnceIsTriedAgainWithANewCommand() {
        List<FailoverEvent> fenced = history(List.of(REGISTERED), started(), fencedByHook());
        fixture.given(fenced).when(promotion(VM1, 1, false, PROMOTED_AT))
                .expectEvents(promotionFailed(VM1, 1, PROMOTED_AT), promotionRequested(VM1, 2, PROMOTED_AT));
        List<FailoverEvent> retried = history(fenced, List.of(promotionFailed(VM1, 1, PROMOTED_AT),
                promotionRequested(VM1, 2, PROMOTED_AT), promoted(VM2, 1, PROMOTED_AT)));
        fixture.given(retried).when(promotion(VM1, 1, true, PROMOTED_AT.plusSeconds(1))).expectNoEvents(); // the old command
        fixture.given(retried).when(promotion(VM1, 2, true, PROMOTED_AT.plusSeconds(1)))
                .expectEvents(promoted(VM1, 2, PROMOTED_AT.plusSeconds(1)),
                        new HookRequested(VM, ID, HookKind.PROMOTE, STANDBY, 2, PROMOTED_AT.plusSeconds(1)));
    }

    @Test
    void aPromotionThatFailsThreeTimesAbortsTheFailover() {
        List<FailoverEvent> twice = history(List.of(REGISTERED), started(), fencedByHook(), List.of(
                promotionFailed(VM1, 1, PROMOTED_AT), promotionRequested(VM1, 2, PROMOTED_AT),
                promotionFailed(VM1, 2, PROMOTED_AT), promotionRequested(VM1, 3, PROMOTED_AT)));
        fixture.given(twice).when(promotion(VM1, 3, false, PROMOTED_AT))
                .expectEventsMatching(events(is(promotionFailed(VM1, 3, PROMOTED_AT)),
                        event(FailoverAborted.class, a -> a.step() == FailoverStep.PROMOTING && a.failover().equals(ID)
                                && a.reason().contains("tank/vm1 could not be promoted on standby in 3 tries"))));
    }

    // --- the deadline

    @Test
    void aFailoverStuckFencingIsAbortedAtItsDeadline() {
        // a fence hook that has not answered, the lease lapsing only after the deadline
        BeginFailover slowLease = new BeginFailover(VM, primaryFailed(), null, DEADLINE.plusSeconds(60), WINDOW);
        List<FailoverEvent> started = history(List.of(REGISTERED), started());
        FailoverStarted s = (FailoverStarted) started.get(started.size() - 2);
        started.set(started.size() - 2, new FailoverStarted(VM, ID, PRIMARY, STANDBY, 2, s.datasets(),
                slowLease.leaseLapsesAt(), DEADLINE, null, FAILED_AT));
        fixture.given(started).when(check(DEADLINE.minusMillis(1))).expectNoEvents();
        fixture.given(started).when(check(DEADLINE))
                .expectEventsMatching(events(event(FailoverAborted.class, a -> a.step() == FailoverStep.FENCING
                        && a.reason().contains("primary was not fenced"))));
    }

    @Test
    void aFailoverStuckPromotingIsAbortedAtItsDeadline() {
        List<FailoverEvent> fenced = history(List.of(REGISTERED), started(), fencedByHook(),
                List.of(promoted(VM1, 1, PROMOTED_AT)));
        fixture.given(fenced).when(check(DEADLINE.minusSeconds(1))).expectNoEvents();
        fixture.given(fenced).when(check(DEADLINE.plusSeconds(1)))
                .expectEventsMatching(events(event(FailoverAborted.class, a -> a.step() == FailoverStep.PROMOTING
                        && a.at().equals(DEADLINE.plusSeconds(1)) && a.reason().contains("[tank/vm2]"))));
    }

    @Test
    void aFailoverStuckSwitchingIsAbortedAtItsDeadline() {
        fixture.given(history(List.of(REGISTERED), started(), fencedByHook(), bothPromoted())).when(check(DEADLINE))
                .expectEventsMatching(events(event(FailoverAborted.class, a -> a.step() == FailoverStep.SWITCHING
                        && a.reason().contains("promote hook on standby did not answer"))));
    }

    @Test
    void aCheckWithNothingRunningChangesNothing() {
        fixture.given(REGISTERED).when(check(DEADLINE)).expectNoEvents();
        fixture.given(history(List.of(REGISTERED), started(), fencedByHook(), bothPromoted(), switched(true)))
                .when(check(DEADLINE.plusSeconds(60))).expectNoEvents();
    }

    // --- duplicate, late and unknown answers

    @Test
    void duplicateAnswersChangeNothing() {
        List<FailoverEvent> fenced = history(List.of(REGISTERED), started(), fencedByHook());
        fixture.given(fenced).when(hook(HookKind.FENCE, PRIMARY, true, "fence.sh exit 0 in 1.2 s", FENCED_AT))
                .expectNoEvents();
        fixture.given(history(fenced, List.of(promoted(VM1, 1, PROMOTED_AT))))
                .when(promotion(VM1, 1, true, PROMOTED_AT)).expectNoEvents();
        List<FailoverEvent> done = history(fenced, bothPromoted(), switched(true));
        fixture.given(done).when(hook(HookKind.PROMOTE, STANDBY, true, "serve.sh exit 0", SWITCHED_AT)).expectNoEvents();
        fixture.given(history(done, List.of(new FormerPrimaryDemoted(VM, PRIMARY, VM1, demote(VM1), "ok", SWITCHED_AT))))
                .when(new RecordServiceCommandOutcome(VM, PRIMARY, VM1, demote(VM1), "DemoteDataset", true, "ok", SWITCHED_AT))
                .expectNoEvents();
    }

    @Test
    void lateAnswersOfAnAbortedFailoverChangeNothing() {
        List<FailoverEvent> aborted = history(List.of(REGISTERED), started(), fencedByHook(), List.of(
                new FailoverAborted(VM, ID, FailoverStep.PROMOTING, "deadline", DEADLINE)));
        fixture.given(aborted).when(promotion(VM1, 1, true, DEADLINE.plusSeconds(1))).expectNoEvents();
        fixture.given(history(List.of(REGISTERED), started(), List.of(new FailoverAborted(VM, ID, FailoverStep.FENCING,
                        "deadline", DEADLINE))))
                .when(hook(HookKind.FENCE, PRIMARY, true, "fence.sh exit 0", DEADLINE.plusSeconds(1))).expectNoEvents();
    }

    @Test
    void unknownAnswersChangeNothing() {
        List<FailoverEvent> fenced = history(List.of(REGISTERED), started(), fencedByHook());
        fixture.given(fenced).when(new RecordServiceCommandOutcome(VM, STANDBY, VM1, UUID.randomUUID(),
                "PromoteDataset", true, "?", PROMOTED_AT)).expectNoEvents();
        fixture.given(fenced).when(new RecordServiceCommandOutcome(VM, STANDBY_2, VM1, promote(VM1, 1),
                "PromoteDataset", true, "another server", PROMOTED_AT)).expectNoEvents();
        fixture.given(fenced).when(new RecordHookOutcome(VM, FailoverId.random(), HookKind.FENCE, PRIMARY, true, "?", PROMOTED_AT))
                .expectNoEvents();
        fixture.given(fenced).when(hook(HookKind.PROMOTE, STANDBY, true, "not requested yet", PROMOTED_AT)).expectNoEvents();
    }

    // --- the block, acknowledging, forcing

    private static List<FailoverEvent> switchedHistory() {
        return history(List.of(REGISTERED), started(), fencedByHook(), bothPromoted(), switched(true));
    }

    /** standby, now the primary, fails 10 minutes after the switch; standby-2 is fresh. */
    private static FailoverSituation standbyFailed() {
        return situation(STANDBY, SWITCHED_AT.plusSeconds(600), 1);
    }

    @Test
    void afterASwitchAutomaticFailoverIsBlockedWithTheReason() {
        fixture.given(switchedHistory()).when(new BeginFailover(VM, standbyFailed(), null, SWITCHED_AT.plusSeconds(630), WINDOW))
                .expectEventsMatching(events(event(FailoverCandidateEvaluated.class, FailoverCandidateEvaluated::eligible),
                        event(FailoverRefused.class, r -> r.forced() == null && r.reasons().stream().anyMatch(s -> s.contains(
                                "is blocked: failover " + ID + " from primary to standby at " + SWITCHED_AT
                                        + " is not acknowledged")))));
    }

    @Test
    void afterAnAbortAutomaticFailoverIsBlockedWithTheReason() {
        List<FailoverEvent> aborted = history(List.of(REGISTERED), started(), List.of(
                new FailoverAborted(VM, ID, FailoverStep.FENCING, "not fenced by the deadline", DEADLINE)));
        fixture.given(aborted).when(new BeginFailover(VM, situation(PRIMARY, DEADLINE.plusSeconds(5), 2), null,
                        DEADLINE.plusSeconds(35), WINDOW))
                .expectEventsMatching(events(event(FailoverCandidateEvaluated.class, e -> true),
                        event(FailoverCandidateEvaluated.class, e -> true),
                        event(FailoverRefused.class, r -> r.reasons().stream().anyMatch(s -> s.contains(
                                "was aborted at " + DEADLINE + " (fencing): not fenced by the deadline")))));
    }

    @Test
    void aForceOverridesTheBlockAndRaisesTheGeneration() {
        FailoverSituation s = standbyFailed();
        fixture.given(switchedHistory()).when(force(s, STANDBY_2))
                .expectEventsMatching(events(event(FailoverCandidateEvaluated.class, e -> e.candidate().equals(STANDBY_2)),
                        event(StandbyChosen.class, c -> ALICE.equals(c.forced()) && c.chosen().equals(STANDBY_2)),
                        event(FailoverStarted.class, f -> f.generation() == 3 && f.failedPrimary().equals(STANDBY)
                                && f.to().equals(STANDBY_2) && ALICE.equals(f.forced())
                                && f.deadline().equals(s.now().plus(WINDOW))),
                        event(HookRequested.class, h -> h.kind() == HookKind.FENCE && h.server().equals(STANDBY)
                                && h.generation() == 3)));
    }

    @Test
    void anAcknowledgementArmsAutomaticFailoverAgainAndTheNextOneRaisesTheGenerationAgain() {
        Instant ackAt = SWITCHED_AT.plusSeconds(300);
        fixture.given(switchedHistory()).when(new AcknowledgeFailover(VM, ALICE, ackAt))
                .expectEvents(new FailoverAcknowledged(VM, ALICE, ackAt));
        FailoverSituation s = standbyFailed();
        fixture.given(history(switchedHistory(), List.of(new FailoverAcknowledged(VM, ALICE, ackAt))))
                .when(new BeginFailover(VM, s, null, s.now().plusSeconds(30), WINDOW))
                .expectEventsMatching(events(event(FailoverCandidateEvaluated.class, FailoverCandidateEvaluated::eligible),
                        event(StandbyChosen.class, c -> c.forced() == null && c.chosen().equals(STANDBY_2)),
                        event(FailoverStarted.class, f -> f.generation() == 3
                                && f.failover().equals(ServiceDecider.failoverId(VM, 3, s.now()))
                                && f.datasets().equals(List.of(new DatasetPromotion(VM1, VM1.snapshot("auto-1")),
                                new DatasetPromotion(VM2, VM2.snapshot("auto-2"))))),
                        event(HookRequested.class, h -> h.kind() == HookKind.FENCE && h.server().equals(STANDBY))));
    }

    @Test
    void anAcknowledgementIsRefusedWhenNothingIsBlockedOrWhileAFailoverRuns() {
        fixture.given(REGISTERED).when(new AcknowledgeFailover(VM, ALICE, FAILED_AT))
                .expectException(IllegalStateException.class)
                .expectExceptionMessage(containsString("is not blocked"));
        fixture.given(history(List.of(REGISTERED), started())).when(new AcknowledgeFailover(VM, ALICE, FENCED_AT))
                .expectException(IllegalStateException.class)
                .expectExceptionMessage(containsString("is running"));
        Instant ackAt = SWITCHED_AT.plusSeconds(300);
        fixture.given(history(switchedHistory(), List.of(new FailoverAcknowledged(VM, ALICE, ackAt))))
                .when(new AcknowledgeFailover(VM, ALICE, ackAt.plusSeconds(1)))
                .expectException(IllegalStateException.class);
    }

    // --- restart

    @Test
    void aControllerRestartedMidFailoverFinishesItFromTheStoredSteps() {
        // stored before the restart: the lease wait after a failed fence hook, the first promotion failed and retried
        List<FailoverEvent> stored = history(List.of(REGISTERED), started(), List.of(
                hookRan(HookKind.FENCE, PRIMARY, false, "no fence hook configured", FAILED_AT),
                new PrimaryFenced(VM, ID, PRIMARY, true, "lease", LEASE),
                promotionRequested(VM1, 1, LEASE), promotionRequested(VM2, 1, LEASE),
                promotionFailed(VM1, 1, LEASE.plusSeconds(1)), promotionRequested(VM1, 2, LEASE.plusSeconds(1)),
                promoted(VM2, 1, LEASE.plusSeconds(1))));
        Instant after = LEASE.plusSeconds(40); // the new controller's first tick: before the deadline, nothing to do
        fixture.given(stored).when(check(after)).expectNoEvents();
        fixture.given(stored).when(promotion(VM1, 2, true, after))
                .expectEvents(promoted(VM1, 2, after), new HookRequested(VM, ID, HookKind.PROMOTE, STANDBY, 2, after));
        fixture.given(history(stored, List.of(promoted(VM1, 2, after),
                        new HookRequested(VM, ID, HookKind.PROMOTE, STANDBY, 2, after))))
                .when(hook(HookKind.PROMOTE, STANDBY, true, "serve.sh exit 0", SWITCHED_AT))
                .expectEvents(all(switched(true)));
    }

    @Test
    void aCommandForAServiceNeverRegisteredFails() {
        fixture.givenNoPriorActivity().when(begin()).expectException(Exception.class);
        fixture.given(new ServiceRegistered(VM, PRIMARY, List.of(STANDBY), 1, T0)).when(check(FAILED_AT)).expectNoEvents();
    }
}
