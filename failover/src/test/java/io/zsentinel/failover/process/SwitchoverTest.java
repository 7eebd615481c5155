package io.zsentinel.failover.process;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.AcknowledgeFailover;
import io.zsentinel.failover.api.BeginSwitchover;
import io.zsentinel.failover.api.CheckFailover;
import io.zsentinel.failover.api.DatasetPromoted;
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
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.PromotionRequested;
import io.zsentinel.failover.api.RecordFinalSend;
import io.zsentinel.failover.api.RecordFinalSnapshot;
import io.zsentinel.failover.api.RecordHookOutcome;
import io.zsentinel.failover.api.RecordServiceCommandOutcome;
import io.zsentinel.failover.api.RetryDemotions;
import io.zsentinel.failover.api.ServiceCommand;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.failover.api.SwitchoverAborted;
import io.zsentinel.failover.api.SwitchoverCompleted;
import io.zsentinel.failover.api.SwitchoverStarted;
import io.zsentinel.failover.choose.Candidate;
import io.zsentinel.failover.choose.FailoverSituation;
import io.zsentinel.failover.detect.Health;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.zsentinel.failover.process.FailoverStory.PRIMARY;
import static io.zsentinel.failover.process.FailoverStory.REGISTERED;
import static io.zsentinel.failover.process.FailoverStory.STANDBY;
import static io.zsentinel.failover.process.FailoverStory.STANDBY_2;
import static io.zsentinel.failover.process.FailoverStory.VM;
import static io.zsentinel.failover.process.FailoverStory.VM1;
import static io.zsentinel.failover.process.FailoverStory.VM2;
import static io.zsentinel.failover.process.FailoverStory.DEFINITION;
import static io.zsentinel.failover.process.FailoverStory.history;
import static io.zsentinel.failover.process.FailoverStory.standby;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.containsString;

/**
 * A planned switchover of vm-storage (tank/vm1, tank/vm2) from primary to standby, every branch: the refusals, the
 * happy path to a switch with no block, and the failures before the promotion that put the old primary back.
 */
class SwitchoverTest {
    static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
    static final Duration MAX_LAG = Duration.ofMinutes(5);
    static final Duration WINDOW = Duration.ofMinutes(2);
    static final OperatorOrder BOB = new OperatorOrder("bob@ops", "disk firmware on primary");
    static final FailoverId ID = ServiceDecider.failoverId(VM, 2, AT);
    static final Instant DEMOTED_AT = AT.plusSeconds(1);
    static final Instant TAKEN_AT = AT.plusSeconds(2);
    static final Instant SENT_AT = AT.plusSeconds(3);
    static final Instant PROMOTED_AT = AT.plusSeconds(4);
    static final Instant SWITCHED_AT = AT.plusSeconds(5);

    private AggregateTestFixture<ServiceAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ServiceAggregate.class);
    }

    static FailoverSituation situation(Candidate standby) {
        return new FailoverSituation(DEFINITION, PRIMARY, Health.HEALTHY, false, Set.of(VM1, VM2),
                Map.of(STANDBY, standby, STANDBY_2, standby(STANDBY_2, AT, 1)), null, AT);
    }

    static BeginSwitchover order(ServerId to, Candidate standby) {
        return new BeginSwitchover(VM, to, BOB, situation(standby), MAX_LAG, WINDOW);
    }

    static BeginSwitchover order() {
        return order(STANDBY, standby(STANDBY, AT, 2));
    }

    static UUID demote(DatasetName d) {
        return ServiceDecider.commandId("demote", ID, d, 1);
    }

    static final List<DatasetPromotion> PROMOTIONS = List.of(
            new DatasetPromotion(VM1, VM1.snapshot("zsentinel-switchover-2"), VM1),
            new DatasetPromotion(VM2, VM2.snapshot("zsentinel-switchover-2"), VM2));

    static List<FailoverEvent> started() {
        return List.of(new SwitchoverStarted(VM, ID, PRIMARY, STANDBY, 2, PROMOTIONS, AT.plus(WINDOW), BOB, AT),
                new DemotionRequested(VM, PRIMARY, VM1, 1, demote(VM1), AT),
                new DemotionRequested(VM, PRIMARY, VM2, 1, demote(VM2), AT),
                new HookRequested(VM, ID, HookKind.DEMOTE, PRIMARY, 1, AT));
    }

    static RecordServiceCommandOutcome demotion(DatasetName d, boolean ok) {
        return new RecordServiceCommandOutcome(VM, PRIMARY, d, demote(d), "DemoteDataset", ok,
                ok ? "read-only at generation 1" : "pool is gone", DEMOTED_AT);
    }

    static RecordHookOutcome demoteHook(boolean ok) {
        return new RecordHookOutcome(VM, ID, HookKind.DEMOTE, PRIMARY, ok, ok ? "unserve.sh exit 0" : "unserve.sh exit 2",
                DEMOTED_AT);
    }

    static FinalSnapshotRequested snapshotRequested(DatasetName d) {
        return new FinalSnapshotRequested(VM, ID, PRIMARY, d.snapshot("zsentinel-switchover-2"),
                ServiceDecider.commandId("final-snapshot", ID, d, 1), DEMOTED_AT);
    }

    /** Both datasets read-only, the demote hook succeeded, the final snapshots requested. */
    static List<FailoverEvent> demoted() {
        return List.of(new FormerPrimaryDemoted(VM, PRIMARY, VM1, demote(VM1), "read-only at generation 1", DEMOTED_AT),
                new FormerPrimaryDemoted(VM, PRIMARY, VM2, demote(VM2), "read-only at generation 1", DEMOTED_AT),
                new HookRan(VM, ID, HookKind.DEMOTE, PRIMARY, true, "unserve.sh exit 0", DEMOTED_AT),
                snapshotRequested(VM1), snapshotRequested(VM2));
    }

    static Guid guid(DatasetName d) {
        return new Guid(d.equals(VM1) ? 101 : 202);
    }

    static RecordFinalSnapshot taken(DatasetName d) {
        return new RecordFinalSnapshot(VM, ID, d.snapshot("zsentinel-switchover-2"), guid(d), true, "taken", TAKEN_AT);
    }

    static List<FailoverEvent> bothTaken() {
        return List.of(new FinalSnapshotTaken(VM, ID, PRIMARY, VM1.snapshot("zsentinel-switchover-2"), guid(VM1), TAKEN_AT),
                new FinalSnapshotTaken(VM, ID, PRIMARY, VM2.snapshot("zsentinel-switchover-2"), guid(VM2), TAKEN_AT),
                new FinalSendRequested(VM, ID, PRIMARY, VM1.snapshot("zsentinel-switchover-2"), guid(VM1), STANDBY, VM1, TAKEN_AT),
                new FinalSendRequested(VM, ID, PRIMARY, VM2.snapshot("zsentinel-switchover-2"), guid(VM2), STANDBY, VM2, TAKEN_AT));
    }

    static RecordFinalSend sent(DatasetName d, boolean ok) {
        return new RecordFinalSend(VM, ID, d, ok, ok ? "standby holds guid " + guid(d) : "send failed: connection reset", SENT_AT);
    }

    static PromotionRequested promotion(DatasetName d) {
        return new PromotionRequested(VM, ID, STANDBY, d, 2, d.snapshot("zsentinel-switchover-2"),
                ServiceDecider.commandId("promote", ID, d, 1), 1, SENT_AT);
    }

    static List<FailoverEvent> bothSent() {
        return List.of(new FinalSnapshotReceived(VM, ID, STANDBY, VM1, "standby holds guid " + guid(VM1), SENT_AT),
                new FinalSnapshotReceived(VM, ID, STANDBY, VM2, "standby holds guid " + guid(VM2), SENT_AT),
                promotion(VM1), promotion(VM2));
    }

    static List<FailoverEvent> bothPromoted() {
        return List.of(new DatasetPromoted(VM, ID, STANDBY, VM1, ServiceDecider.commandId("promote", ID, VM1, 1), "ok", PROMOTED_AT),
                new DatasetPromoted(VM, ID, STANDBY, VM2, ServiceDecider.commandId("promote", ID, VM2, 1), "ok", PROMOTED_AT),
                new HookRequested(VM, ID, HookKind.PROMOTE, STANDBY, 2, PROMOTED_AT));
    }

    /** The old primary promoted back at generation 3 after {@code reason}, at {@code step}. */
    static List<FailoverEvent> promotedBack(FailoverStep step, String reason, Instant at) {
        List<FailoverEvent> events = new ArrayList<>();
        events.add(new SwitchoverAborted(VM, ID, step, reason + "; primary is promoted back at generation 3 and serves"
                + " vm-storage again", PRIMARY, 3, at));
        for (DatasetName d : List.of(VM1, VM2)) {
            events.add(new PromotionRequested(VM, ID, PRIMARY, d, 3, null,
                    ServiceDecider.commandId("promote-back", ID, d, 1), 1, at));
        }
        events.add(new HookRequested(VM, ID, HookKind.PROMOTE, PRIMARY, 3, at));
        return events;
    }

    static ServiceState fold(List<? extends FailoverEvent> events) {
        ServiceState state = ServiceState.initial(VM);
        for (FailoverEvent e : events) {
            state = ServiceDecider.evolve(state, e);
        }
        return state;
    }

    static List<FailoverEvent> decide(List<? extends FailoverEvent> given, ServiceCommand command) {
        return ServiceDecider.decide(fold(given), command);
    }

    // --- the happy path

    @Test
    void aSwitchoverDemotesTheOldPrimaryFirstAtTheNextGeneration() {
        fixture.given(REGISTERED).when(order()).expectEvents(started().toArray());
    }

    @Test
    void theFinalSnapshotsAreTakenOnlyOnceEveryDatasetIsReadOnlyAndTheDemoteHookSucceeded() {
        fixture.given(history(List.of(REGISTERED), started())).when(demotion(VM1, true))
                .expectEvents(demoted().get(0));
        fixture.given(history(List.of(REGISTERED), started(), demoted().subList(0, 2))).when(demoteHook(true))
                .expectEvents(demoted().subList(2, 5).toArray());
    }

    @Test
    void theFinalSendsFollowTheSnapshotsAndThePromotionsTheStandbyHoldingThemAll() {
        List<FailoverEvent> given = history(List.of(REGISTERED), started(), demoted());
        fixture.given(given).when(taken(VM1)).expectEvents(bothTaken().get(0));
        fixture.given(history(given, bothTaken().subList(0, 1))).when(taken(VM2))
                .expectEvents(bothTaken().subList(1, 4).toArray());
        given = history(given, bothTaken());
        fixture.given(given).when(sent(VM1, true)).expectEvents(bothSent().get(0));
        fixture.given(history(given, bothSent().subList(0, 1))).when(sent(VM2, true))
                .expectEvents(bothSent().subList(1, 4).toArray());
    }

    @Test
    void thePromoteHookSwitchesTheServiceAndCompletesTheSwitchoverWithoutAnotherDemotion() {
        List<FailoverEvent> given = history(List.of(REGISTERED), started(), demoted(), bothTaken(), bothSent(), bothPromoted());
        fixture.given(given).when(new RecordHookOutcome(VM, ID, HookKind.PROMOTE, STANDBY, true, "serve.sh exit 0", SWITCHED_AT))
                .expectEvents(new HookRan(VM, ID, HookKind.PROMOTE, STANDBY, true, "serve.sh exit 0", SWITCHED_AT),
                        new ServiceSwitched(VM, ID, PRIMARY, STANDBY, 2, List.of(VM1, VM2), SWITCHED_AT),
                        new SwitchoverCompleted(VM, ID, PRIMARY, STANDBY, 2, BOB, SWITCHED_AT));
    }

    @Test
    void aSwitchedServiceIsServedByTheStandbyAndItsAutomaticFailoverIsNotBlocked() {
        List<FailoverEvent> all = history(List.of(REGISTERED), started(), demoted(), bothTaken(), bothSent(), bothPromoted(),
                List.of(new HookRan(VM, ID, HookKind.PROMOTE, STANDBY, true, "ok", SWITCHED_AT),
                        new ServiceSwitched(VM, ID, PRIMARY, STANDBY, 2, List.of(VM1, VM2), SWITCHED_AT),
                        new SwitchoverCompleted(VM, ID, PRIMARY, STANDBY, 2, BOB, SWITCHED_AT)));
        ServiceState state = fold(all);
        assertEquals(STANDBY, state.primary());
        assertEquals(2, state.generation());
        assertNull(state.running());
        assertNull(state.blockedBy());
        assertEquals(Map.of(), state.pendingDemotions());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServiceDecider.decide(state, new AcknowledgeFailover(VM, BOB, SWITCHED_AT)));
        assertTrue(e.getMessage().contains("is not blocked"), e.getMessage());
    }

    // --- refusals

    @Test
    void aSwitchoverIsRefusedWhileAFailoverRuns() {
        fixture.given(history(List.of(REGISTERED), FailoverStory.started())).when(order())
                .expectException(IllegalStateException.class)
                .expectExceptionMessage(containsString("is running (fencing"));
    }

    @Test
    void aSecondSwitchoverIsRefusedWhileOneRuns() {
        fixture.given(history(List.of(REGISTERED), started())).when(order())
                .expectException(IllegalStateException.class)
                .expectExceptionMessage(containsString("switchover " + ID + " from primary to standby is running (demoting"));
    }

    @Test
    void aSwitchoverIsRefusedToAServerThatIsNoStandby() {
        fixture.given(REGISTERED).when(order(ServerId.of("elsewhere"), standby(STANDBY, AT, 2)))
                .expectException(IllegalStateException.class)
                .expectExceptionMessage(containsString("elsewhere is not a configured standby of vm-storage"));
        fixture.given(REGISTERED).when(order(PRIMARY, standby(STANDBY, AT, 2)))
                .expectException(IllegalStateException.class)
                .expectExceptionMessage(containsString("primary already serves vm-storage"));
    }

    @Test
    void aSwitchoverIsRefusedToAnUnhealthyStandbyOrOneInMaintenance() {
        Candidate suspect = new Candidate(STANDBY, Health.SUSPECT, false, standby(STANDBY, AT, 2).commonSnapshots());
        fixture.given(REGISTERED).when(order(STANDBY, suspect)).expectException(IllegalStateException.class)
                .expectExceptionMessage(containsString("standby standby is suspect, not healthy"));
        Candidate maintenance = new Candidate(STANDBY, Health.HEALTHY, true, standby(STANDBY, AT, 2).commonSnapshots());
        fixture.given(REGISTERED).when(order(STANDBY, maintenance)).expectException(IllegalStateException.class)
                .expectExceptionMessage(containsString("standby standby is in maintenance mode"));
    }

    @Test
    void aSwitchoverIsRefusedToAStandbyLaggingBeyondTheBoundOrWithoutACopy() {
        fixture.given(REGISTERED).when(order(STANDBY, standby(STANDBY, AT, 9))).expectException(IllegalStateException.class)
                .expectExceptionMessage(containsString("standby lags: its newest common snapshot tank/vm2@auto-10 is 600 s"
                        + " old, beyond the switchover bound of 300 s"));
        Candidate noCopy = new Candidate(STANDBY, Health.HEALTHY, false, Map.of(VM1, FailoverStory.common(VM1, AT, 1)));
        fixture.given(REGISTERED).when(order(STANDBY, noCopy)).expectException(IllegalStateException.class)
                .expectExceptionMessage(containsString("standby shares no snapshot with primary for [tank/vm2]"));
    }

    // --- failures before the promotion: the old primary serves again

    @Test
    void aFailedDemoteHookPromotesTheOldPrimaryBackAtANewGeneration() {
        fixture.given(history(List.of(REGISTERED), started(), demoted().subList(0, 2))).when(demoteHook(false))
                .expectEvents(history(List.of(new HookRan(VM, ID, HookKind.DEMOTE, PRIMARY, false, "unserve.sh exit 2",
                        DEMOTED_AT)), promotedBack(FailoverStep.DEMOTING, "the demote hook on primary failed"
                        + " (unserve.sh exit 2)", DEMOTED_AT)).toArray());
    }

    @Test
    void aRefusedDemotionPromotesTheOldPrimaryBack() {
        fixture.given(history(List.of(REGISTERED), started())).when(demotion(VM2, false))
                .expectEvents(promotedBack(FailoverStep.DEMOTING, "primary refused to set tank/vm2 read-only (pool is gone)",
                        DEMOTED_AT).toArray());
    }

    @Test
    void aFailedFinalSnapshotPromotesTheOldPrimaryBack() {
        fixture.given(history(List.of(REGISTERED), started(), demoted()))
                .when(new RecordFinalSnapshot(VM, ID, VM1.snapshot("zsentinel-switchover-2"), null, false, "out of space", TAKEN_AT))
                .expectEvents(promotedBack(FailoverStep.SNAPSHOTTING, "the final snapshot tank/vm1@zsentinel-switchover-2"
                        + " on primary failed (out of space)", TAKEN_AT).toArray());
    }

    @Test
    void aFailedFinalSendPromotesTheOldPrimaryBack() {
        fixture.given(history(List.of(REGISTERED), started(), demoted(), bothTaken())).when(sent(VM2, false))
                .expectEvents(promotedBack(FailoverStep.SENDING, "the final send of tank/vm2 to standby failed (send"
                        + " failed: connection reset)", SENT_AT).toArray());
    }

    @Test
    void aSwitchoverStuckBeforeThePromotionIsPromotedBackAtItsDeadline() {
        Instant late = AT.plus(WINDOW);
        fixture.given(history(List.of(REGISTERED), started(), demoted(), bothTaken())).when(new CheckFailover(VM, late.minusMillis(1)))
                .expectNoEvents();
        fixture.given(history(List.of(REGISTERED), started(), demoted(), bothTaken())).when(new CheckFailover(VM, late))
                .expectEvents(promotedBack(FailoverStep.SENDING, "not done by its deadline " + late + ": standby received"
                        + " the final snapshots only of []", late).toArray());
    }

    @Test
    void aSwitchoverStuckInThePromotionIsNotPromotedBackAndBlocksTheService() {
        Instant late = AT.plus(WINDOW);
        List<FailoverEvent> given = history(List.of(REGISTERED), started(), demoted(), bothTaken(), bothSent());
        List<FailoverEvent> events = decide(given, new CheckFailover(VM, late));
        assertEquals(1, events.size());
        SwitchoverAborted a = assertInstanceOf(SwitchoverAborted.class, events.get(0));
        assertEquals(FailoverStep.PROMOTING, a.step());
        assertNull(a.servedBy());
        ServiceState after = fold(history(given, events));
        assertNull(after.running());
        assertTrue(after.blockedBy().contains("was aborted") && after.blockedBy().contains("is not promoted back"),
                after.blockedBy());
    }

    @Test
    void anOldPrimaryPromotedBackServesAtTheNewGenerationIsNeverDemotedAgainAndTheNextSwitchoverIsHigher() {
        List<FailoverEvent> aborted = history(List.of(REGISTERED), started(), demoted(), bothTaken(),
                promotedBack(FailoverStep.SENDING, "the final send failed", SENT_AT));
        ServiceState state = fold(aborted);
        assertEquals(PRIMARY, state.primary());
        assertEquals(3, state.generation());
        assertNull(state.running());
        assertNull(state.blockedBy());
        assertEquals(List.of(), ServiceDecider.decide(state, new RetryDemotions(VM, PRIMARY, "pool tank is ONLINE", SENT_AT)));
        List<FailoverEvent> again = ServiceDecider.decide(state, order());
        assertEquals(4, assertInstanceOf(SwitchoverStarted.class, again.get(0)).generation());
    }

    @Test
    void lateOrRepeatedAnswersChangeNothing() {
        List<FailoverEvent> given = history(List.of(REGISTERED), started(), demoted(), bothTaken());
        assertEquals(List.of(), decide(given, taken(VM1))); // snapshots are done: the step is SENDING
        assertEquals(List.of(), decide(history(given, bothSent().subList(0, 1)), sent(VM1, true)));
        assertEquals(List.of(), decide(history(List.of(REGISTERED), started()), sent(VM1, true)));
    }
}
