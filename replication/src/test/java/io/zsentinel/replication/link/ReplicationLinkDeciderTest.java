package io.zsentinel.replication.link;

import io.zsentinel.core.messages.agentcommands.TransferPolicy;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.Refusal;
import io.zsentinel.replication.api.link.BaseChanged;
import io.zsentinel.replication.api.link.CheckStall;
import io.zsentinel.replication.api.link.CircuitOpened;
import io.zsentinel.replication.api.link.DivergenceResolutionOrdered;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkEvent;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPaused;
import io.zsentinel.replication.api.link.LinkResumed;
import io.zsentinel.replication.api.link.LinkState;
import io.zsentinel.replication.api.link.LinkStateChanged;
import io.zsentinel.replication.api.link.PauseLink;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.RecordTransferCompleted;
import io.zsentinel.replication.api.link.RecordTransferFailed;
import io.zsentinel.replication.api.link.RecordTransferProgress;
import io.zsentinel.replication.api.link.ReplicationFailed;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.api.link.ReplicationSucceeded;
import io.zsentinel.replication.api.link.ResolveDivergence;
import io.zsentinel.replication.api.link.ResumeLink;
import io.zsentinel.replication.api.link.SnapshotRef;
import io.zsentinel.replication.api.link.SyncNow;
import io.zsentinel.replication.api.link.SyncRequested;
import io.zsentinel.replication.api.link.TargetCaughtUp;
import io.zsentinel.replication.api.link.TargetDiverged;
import io.zsentinel.replication.api.link.TransferProgressRecorded;
import io.zsentinel.replication.api.link.TransferStalled;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.zsentinel.replication.link.Links.ALICE;
import static io.zsentinel.replication.link.Links.LINK;
import static io.zsentinel.replication.link.Links.SOURCE;
import static io.zsentinel.replication.link.Links.established;
import static io.zsentinel.replication.link.Links.plan;
import static io.zsentinel.replication.link.ReplicationPlannerTest.T0;
import static io.zsentinel.replication.link.ReplicationPlannerTest.dst;
import static io.zsentinel.replication.link.ReplicationPlannerTest.src;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The link's rules, decided and folded without Axon. */
class ReplicationLinkDeciderTest {
    static final SnapshotInfo A = src("a", 1, 10), B = src("b", 2, 20), C = src("c", 3, 30), D = src("d", 4, 40);
    static final SnapshotInfo A_ON_TARGET = dst("a", 1, 700), B_ON_TARGET = dst("b", 2, 701);

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static <T> T only(Class<T> type, List<LinkEvent> events) {
        List<T> matching = events.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, matching.size(), () -> "expected one " + type.getSimpleName() + " in " + events);
        return matching.get(0);
    }

    /** A link that replicated A fully at t=60 (its base), and is in sync. */
    static Links.Run syncedOnA() {
        Links.Run run = new Links.Run().given(established());
        ReplicationScheduled full = only(ReplicationScheduled.class, run.when(plan(at(0), List.of(A), List.of())));
        run.when(new RecordTransferCompleted(LINK, full.transferId(), A.guid(), at(60)));
        assertEquals(LinkState.IN_SYNC, run.state.state());
        return run;
    }

    /** syncedOnA, then an incremental A→C in flight (attempt 1), scheduled at t=60+15min. */
    static Links.Run transferringAtoC() {
        Links.Run run = syncedOnA();
        run.when(plan(at(60 + 900), List.of(A, B, C), List.of(A_ON_TARGET)));
        assertEquals(LinkState.TRANSFERRING, run.state.state());
        return run;
    }

    @Test
    void aLinkIsLaggingOnlyWhenASnapshotWaitedLongerThanItsIntervalPlusTheAllowance() {
        Links.Run run = transferringAtoC(); // A → C, scheduled at 960
        SnapshotInfo d = src("d", 4, 1000); // taken while C is on its way
        run.when(new RecordTransferCompleted(LINK, run.state.inFlight().id(), C.guid(), at(2000)));
        List<SnapshotInfo> source = List.of(A, B, C, d);
        List<SnapshotInfo> target = List.of(A_ON_TARGET, dst("c", 3, 702));
        assertEquals(LinkState.IN_SYNC, run.state.state());
        // the next transfer is due at 2000 + 900; D has waited since 1000, lagging after 1000 + 900 + 450
        assertEquals(List.of(), run.when(plan(at(2350), source, target)), "within the interval and the allowance");
        assertEquals(List.of(new LinkStateChanged(LINK, LinkState.IN_SYNC, LinkState.LAGGING, at(2351))),
                run.when(plan(at(2351), source, target)), "the transfer took long: D waits beyond the schedule");
        run.when(plan(at(2900), source, target));
        assertEquals(LinkState.TRANSFERRING, run.state.state(), "due again: D is sent, and lagging ends with it");
    }

    @Test
    void theFirstPlanIsAFullSendOfTheNewestSnapshot() {
        Links.Run run = new Links.Run().given(established());
        assertEquals(LinkState.LAGGING, run.state.state());
        List<LinkEvent> events = run.when(plan(at(0), List.of(A, B), List.of()));
        ReplicationScheduled s = only(ReplicationScheduled.class, events);
        assertNull(s.from(), "a full send");
        assertEquals(SnapshotRef.of(B), s.to());
        assertEquals(1, s.attempt());
        assertNull(s.resumeToken());
        assertTrue(!s.rollbackTarget());
        assertEquals(new TransferPolicy(Duration.ofMinutes(5), 3, Duration.ofMinutes(20)), s.policy(),
                "the agent applies the link's stall timeout and breaker (Links.POLICY)");
        assertEquals(new LinkStateChanged(LINK, LinkState.LAGGING, LinkState.TRANSFERRING, at(0)), events.get(1));
    }

    @Test
    void aRedeliveredPlanDecidesTheSameTransferIdAndOnceInFlightNothing() {
        Links.Run run = new Links.Run().given(established());
        PlanReplication tick = plan(at(0), List.of(A), List.of());
        List<LinkEvent> first = ReplicationLinkDecider.decide(run.state, tick);
        assertEquals(first, ReplicationLinkDecider.decide(run.state, tick));
        run.given(first.toArray(LinkEvent[]::new));
        assertEquals(List.of(), run.when(tick));
    }

    @Test
    void progressIsRecordedOnlyWhenTheByteCountMoves() {
        Links.Run run = transferringAtoC();
        var id = run.state.inFlight().id();
        assertEquals(List.of(new TransferProgressRecorded(LINK, id, 1000, at(1000))),
                run.when(new RecordTransferProgress(LINK, id, 1000, at(1000))));
        assertEquals(List.of(), run.when(new RecordTransferProgress(LINK, id, 1000, at(1010))));
        assertEquals(List.of(), run.when(new RecordTransferProgress(LINK, id, 900, at(1005))), "out of order");
        assertEquals(at(1000), run.state.inFlight().lastProgressAt());
    }

    @Test
    void completionMakesTheSnapshotTheNewBaseAndTellsTheSourceWhatToProtect() {
        Links.Run run = new Links.Run().given(established());
        ReplicationScheduled full = only(ReplicationScheduled.class, run.when(plan(at(0), List.of(A), List.of())));
        run.when(new RecordTransferProgress(LINK, full.transferId(), 5000, at(30)));
        List<LinkEvent> events = run.when(new RecordTransferCompleted(LINK, full.transferId(), A.guid(), at(60)));
        assertEquals(List.of(new ReplicationSucceeded(LINK, full.transferId(), SnapshotRef.of(A), 5000, at(60)),
                new BaseChanged(LINK, SOURCE, null, SnapshotRef.of(A), at(60)),
                new LinkStateChanged(LINK, LinkState.TRANSFERRING, LinkState.IN_SYNC, at(60))), events);
        assertEquals(at(60), run.state.lastSuccessAt());
        assertEquals(LINK.toString(), only(BaseChanged.class, events).holder());
    }

    /** Issue 8: the source's inventory a moment behind (B not shown yet) must not make a plan that skips B. */
    @Test
    void aSourceInventoryThatDoesNotShowAnIntermediateYetStillSchedulesWithIntermediates() {
        Links.Run run = syncedOnA();
        ReplicationScheduled s = only(ReplicationScheduled.class,
                run.when(plan(at(60 + 900), List.of(A, C), List.of(A_ON_TARGET))));
        assertEquals(SnapshotRef.of(A), s.from());
        assertEquals(SnapshotRef.of(C), s.to());
        assertTrue(s.intermediates(), "-I: zfs sends B, which lies between on the source");
    }

    @Test
    void theNextPlanWaitsForTheIntervalThenSendsIncrementallyWithIntermediates() {
        Links.Run run = syncedOnA();
        List<LinkEvent> early = run.when(plan(at(120), List.of(A, B, C), List.of(A_ON_TARGET)));
        assertEquals(List.of(), early, "behind, but within its interval: nothing to do, and in sync");
        assertEquals(List.of(), run.when(plan(at(60 + 899), List.of(A, B, C), List.of(A_ON_TARGET))),
                "B has waited 15 min at 60 + 899 s, the link's own schedule: not lagging");
        ReplicationScheduled s = only(ReplicationScheduled.class,
                run.when(plan(at(60 + 900), List.of(A, B, C), List.of(A_ON_TARGET))));
        assertEquals(SnapshotRef.of(A), s.from());
        assertEquals(SnapshotRef.of(C), s.to());
        assertTrue(s.intermediates());
        List<LinkEvent> done = run.when(new RecordTransferCompleted(LINK, s.transferId(), C.guid(), at(1000)));
        assertEquals(new BaseChanged(LINK, SOURCE, A.guid(), SnapshotRef.of(C), at(1000)), only(BaseChanged.class, done));
    }

    @Test
    void aFailureIsRetriedAfterItsBackoffNotBeforeAndTheAttemptCounts() {
        Links.Run run = transferringAtoC();
        ReplicationScheduled first = (ReplicationScheduled) run.history.stream()
                .filter(ReplicationScheduled.class::isInstance).reduce((a, b) -> b).orElseThrow();
        List<LinkEvent> failed = run.when(new RecordTransferFailed(LINK, first.transferId(), "ssh: connection reset",
                null, at(1000)));
        assertEquals(new ReplicationFailed(LINK, first.transferId(), "ssh: connection reset", null, 1, at(1010), at(1000)),
                failed.get(0));
        assertEquals(LinkState.FAILING, run.state.state());
        List<SnapshotInfo> source = List.of(A, B, C);
        assertEquals(List.of(), run.when(plan(at(1009), source, List.of(A_ON_TARGET))), "backoff 10 s");
        ReplicationScheduled second = only(ReplicationScheduled.class, run.when(plan(at(1010), source, List.of(A_ON_TARGET))));
        assertEquals(2, second.attempt());
        assertNotEquals(first.transferId(), second.transferId());
        assertEquals(LinkState.FAILING, run.state.state(), "a retry in flight is still failing until it succeeds");
        ReplicationFailed again = only(ReplicationFailed.class,
                run.when(new RecordTransferFailed(LINK, second.transferId(), "ssh: connection reset", null, at(1100))));
        assertEquals(at(1120), again.retryAt(), "backoff doubles: 20 s");
        assertEquals(2, again.attempt());
    }

    @Test
    void progressIsStoredAtMostEveryTenSecondsPerTransfer() {
        Links.Run run = transferringAtoC();
        ReplicationScheduled t = (ReplicationScheduled) run.history.stream()
                .filter(ReplicationScheduled.class::isInstance).reduce((a, b) -> b).orElseThrow();
        Instant start = t.at();
        assertEquals(1, run.when(new RecordTransferProgress(LINK, t.transferId(), 1_000, start.plusSeconds(1))).size());
        assertEquals(List.of(), run.when(new RecordTransferProgress(LINK, t.transferId(), 2_000, start.plusSeconds(2))));
        assertEquals(1, run.when(new RecordTransferProgress(LINK, t.transferId(), 9_000, start.plusSeconds(11))).size());
    }

    @Test
    void aTransferTheTargetRefusesStopsTheLinkAsDivergedInsteadOfRetrying() {
        Links.Run run = transferringAtoC();
        ReplicationScheduled first = (ReplicationScheduled) run.history.stream()
                .filter(ReplicationScheduled.class::isInstance).reduce((a, b) -> b).orElseThrow();
        List<LinkEvent> refused = run.when(new RecordTransferFailed(LINK, first.transferId(),
                "destination has been modified since most recent snapshot", null, at(1000), false));
        assertTrue(refused.stream().anyMatch(TargetDiverged.class::isInstance), refused.toString());
        assertEquals(LinkState.DIVERGED, run.state.state());
        List<SnapshotInfo> source = List.of(A, B, C);
        assertEquals(List.of(), run.when(plan(at(5000), source, List.of(A_ON_TARGET))), "no retry until resolved");
    }

    @Test
    void failingIsMeasuredFromTheFirstFailureAndEndsOnlyWithASuccess() {
        Links.Run run = transferringAtoC();
        Instant firstFailure = at(1000);
        Instant now = firstFailure;
        for (int i = 0; i < 2; i++) {
            ReplicationScheduled s = (ReplicationScheduled) run.history.stream()
                    .filter(ReplicationScheduled.class::isInstance).reduce((a, b) -> b).orElseThrow();
            run.when(new RecordTransferFailed(LINK, s.transferId(), "receive failed", null, now));
            now = run.state.failures().retryAt();
            run.when(plan(now, List.of(A, B, C), List.of(A_ON_TARGET)));
        }
        assertEquals(LinkState.FAILING, run.state.state());
        assertEquals(firstFailure, run.state.failures().since());
        run.when(new RecordTransferCompleted(LINK, run.state.inFlight().id(), C.guid(), now.plusSeconds(5)));
        assertEquals(LinkState.IN_SYNC, run.state.state());
        assertNull(run.state.failures().since());
        assertEquals(0, run.state.failures().consecutive());
    }

    @Test
    void duplicateAndLateTransferReportsChangeNothing() {
        Links.Run run = transferringAtoC();
        var id = run.state.inFlight().id();
        run.when(new RecordTransferCompleted(LINK, id, C.guid(), at(1000)));
        ReplicationLinkState synced = run.state;
        assertEquals(List.of(), run.when(new RecordTransferCompleted(LINK, id, C.guid(), at(1001))), "duplicate");
        assertEquals(List.of(), run.when(new RecordTransferFailed(LINK, id, "late", "token", at(999))),
                "failed after succeeded");
        assertEquals(List.of(), run.when(new RecordTransferProgress(LINK, id, 99, at(998))), "late progress");
        assertEquals(List.of(), run.when(new RecordTransferCompleted(LINK, UUID.randomUUID(), D.guid(), at(1002))),
                "unknown transfer");
        assertEquals(synced, run.state);
    }

    @Test
    void aCompletionForAnotherSnapshotThanScheduledIsAFailureNotABase() {
        Links.Run run = transferringAtoC();
        List<LinkEvent> events = run.when(new RecordTransferCompleted(LINK, run.state.inFlight().id(), B.guid(), at(1000)));
        assertTrue(only(ReplicationFailed.class, events).reason().contains("expected"));
        assertEquals(SnapshotRef.of(A), run.state.base());
    }

    @Test
    void aTransferWhoseBytesStopMovingIsStalledThenRetried() {
        Links.Run run = transferringAtoC();
        var id = run.state.inFlight().id();
        run.when(new RecordTransferProgress(LINK, id, 4096, at(1000)));
        assertEquals(List.of(), run.when(new CheckStall(LINK, at(1000 + 300 + 29))),
                "5 minutes and the grace in which the agent's watchdog reports the stall itself not yet over");
        List<LinkEvent> events = run.when(new CheckStall(LINK, at(1000 + 330)));
        assertEquals(new TransferStalled(LINK, id, 4096, at(1000), at(1330)), events.get(0));
        ReplicationFailed failed = only(ReplicationFailed.class, events);
        assertTrue(failed.reason().startsWith("stalled"), failed.reason());
        assertEquals(List.of(), run.when(new RecordTransferProgress(LINK, id, 8192, at(1331))), "the stalled transfer is over");
        ReplicationScheduled retry = only(ReplicationScheduled.class,
                run.when(plan(failed.retryAt(), List.of(A, B, C), List.of(A_ON_TARGET))));
        assertEquals(2, retry.attempt());
        assertEquals(SnapshotRef.of(A), retry.from());
    }

    @Test
    void anInterruptedTransferResumesFromItsTokenWithTheSameBaseAndSnapshot() {
        Links.Run run = transferringAtoC();
        var id = run.state.inFlight().id();
        ReplicationFailed failed = only(ReplicationFailed.class,
                run.when(new RecordTransferFailed(LINK, id, "killed", "1-abc-def", at(1000))));
        ReplicationScheduled retry = only(ReplicationScheduled.class,
                run.when(plan(failed.retryAt(), List.of(A, B, C, D), List.of(A_ON_TARGET))));
        assertEquals("1-abc-def", retry.resumeToken());
        assertEquals(SnapshotRef.of(C), retry.to(), "resumes the same stream, not the newer D");
        assertEquals(SnapshotRef.of(A), retry.from());
    }

    @Test
    void withoutATokenTheRetryRestartsFromTheSameBase() {
        Links.Run run = transferringAtoC();
        ReplicationFailed failed = only(ReplicationFailed.class,
                run.when(new RecordTransferFailed(LINK, run.state.inFlight().id(), "killed", null, at(1000))));
        ReplicationScheduled retry = only(ReplicationScheduled.class,
                run.when(plan(failed.retryAt(), List.of(A, B, C, D), List.of(A_ON_TARGET))));
        assertNull(retry.resumeToken());
        assertEquals(SnapshotRef.of(A), retry.from());
        assertEquals(SnapshotRef.of(D), retry.to());
    }

    @Test
    void theCircuitOpensAfterNFailuresAndHalfOpensAfterItsCoolDown() {
        Links.Run run = transferringAtoC();
        List<SnapshotInfo> source = List.of(A, B, C);
        Instant now = at(1000);
        ReplicationFailed last = null;
        for (int failure = 1; failure <= 3; failure++) {
            List<LinkEvent> events = run.when(new RecordTransferFailed(LINK, run.state.inFlight().id(), "no route", null, now));
            last = only(ReplicationFailed.class, events);
            assertEquals(failure == 3, events.stream().anyMatch(CircuitOpened.class::isInstance));
            now = last.retryAt();
            if (failure < 3) {
                only(ReplicationScheduled.class, run.when(plan(now, source, List.of(A_ON_TARGET))));
            }
        }
        Instant opened = last.at();
        assertEquals(opened.plus(Duration.ofMinutes(20)), last.retryAt());
        assertEquals(List.of(), run.when(plan(opened.plusSeconds(600), source, List.of(A_ON_TARGET))));
        Instant halfOpen = opened.plus(Duration.ofMinutes(20));
        ReplicationScheduled probe = only(ReplicationScheduled.class, run.when(plan(halfOpen, source, List.of(A_ON_TARGET))));
        assertEquals(4, probe.attempt());
        // the probe fails: open again for a full cool-down
        List<LinkEvent> reopened = run.when(new RecordTransferFailed(LINK, probe.transferId(), "no route", null, halfOpen));
        assertEquals(halfOpen.plus(Duration.ofMinutes(20)), only(CircuitOpened.class, reopened).until());
        // the next probe succeeds: closed
        ReplicationScheduled probe2 = only(ReplicationScheduled.class,
                run.when(plan(halfOpen.plus(Duration.ofMinutes(20)), source, List.of(A_ON_TARGET))));
        run.when(new RecordTransferCompleted(LINK, probe2.transferId(), C.guid(), halfOpen.plus(Duration.ofMinutes(21))));
        assertEquals(0, run.state.failures().consecutive()); // closed: the next failure starts counting again
    }

    @Test
    void aDivergedTargetStopsTheLinkUntilAnOperatorOrdersTheRollback() {
        Links.Run run = syncedOnA();
        SnapshotInfo local = dst("made-on-target", 77, 800);
        List<SnapshotInfo> target = List.of(A_ON_TARGET, local);
        List<LinkEvent> events = run.when(plan(at(2000), List.of(A, B), target));
        TargetDiverged diverged = only(TargetDiverged.class, events);
        assertEquals(List.of(SnapshotRef.of(local)), diverged.targetOnly());
        assertEquals(SnapshotRef.of(A), diverged.commonBase());
        assertEquals(LinkState.DIVERGED, run.state.state());
        assertEquals(List.of(), run.when(plan(at(5000), List.of(A, B), target)), "stopped: no plan, no second alarm");
        assertEquals(Refusal.Kind.CONFLICT,
                assertThrows(Refusal.class, () -> run.when(new SyncNow(LINK, ALICE, "try", at(5001)))).kind());

        List<LinkEvent> resolved = run.when(new ResolveDivergence(LINK, true, ALICE, "target was mounted by mistake", at(6000)));
        assertEquals(new DivergenceResolutionOrdered(LINK, SnapshotRef.of(A), ALICE, "target was mounted by mistake", at(6000)),
                resolved.get(0));
        assertEquals(LinkState.LAGGING, run.state.state());
        ReplicationScheduled forced = only(ReplicationScheduled.class, run.when(plan(at(6010), List.of(A, B), target)));
        assertTrue(forced.rollbackTarget(), "the only transfer ever allowed to discard target data");
        assertEquals(SnapshotRef.of(A), forced.from());
        assertEquals(SnapshotRef.of(B), forced.to());
        run.when(new RecordTransferCompleted(LINK, forced.transferId(), B.guid(), at(6100)));
        assertTrue(!run.state.rollbackConsented(), "consent is used up");
        // diverging again raises the alarm again: no standing licence to overwrite
        assertInstanceOf(TargetDiverged.class,
                run.when(plan(at(9000), List.of(A, B), List.of(A_ON_TARGET, B_ON_TARGET, dst("again", 78, 900)))).get(0));
    }

    @Test
    void aTargetWrittenToIsDivergence() {
        Links.Run run = syncedOnA();
        List<LinkEvent> events = run.when(new PlanReplication(LINK, List.of(A, B), List.of(A_ON_TARGET), true, at(2000)));
        assertTrue(only(TargetDiverged.class, events).reason().contains("written"));
        assertTrue(events.stream().noneMatch(ReplicationScheduled.class::isInstance));
    }

    @Test
    void aRecreatedSourceDivergesInsteadOfMatchingOldNames() {
        Links.Run run = syncedOnA();
        List<LinkEvent> events = run.when(plan(at(2000), List.of(src("a", 101, 3), src("b", 102, 4)), List.of(A_ON_TARGET)));
        TargetDiverged d = only(TargetDiverged.class, events);
        assertNull(d.commonBase());
        run.when(new ResolveDivergence(LINK, true, ALICE, "source was rebuilt", at(2100)));
        ReplicationScheduled forced = only(ReplicationScheduled.class,
                run.when(plan(at(2110), List.of(src("a", 101, 3), src("b", 102, 4)), List.of(A_ON_TARGET))));
        assertTrue(forced.from() == null && forced.rollbackTarget(), "a full receive -F, by the operator's consent only");
    }

    @Test
    void resolvingALinkThatHasNotDivergedIsRefused() {
        Links.Run run = syncedOnA();
        Refusal e = assertThrows(Refusal.class,
                () -> run.when(new ResolveDivergence(LINK, true, ALICE, "why not", at(100))));
        assertEquals(Refusal.Kind.CONFLICT, e.kind());
        assertTrue(e.reason().contains("has not diverged"), e.reason());
        assertTrue(e.correction().contains("nothing to resolve"), e.correction());
    }

    @Test
    void aPausedLinkPlansNothingUntilResumed() {
        Links.Run run = syncedOnA();
        List<LinkEvent> paused = run.when(new PauseLink(LINK, ALICE, "maintenance on offsite", at(100)));
        assertEquals(List.of(new LinkPaused(LINK, ALICE, "maintenance on offsite", at(100)),
                new LinkStateChanged(LINK, LinkState.IN_SYNC, LinkState.PAUSED, at(100))), paused);
        assertEquals(List.of(), run.when(new PauseLink(LINK, ALICE, "again", at(101))));
        assertEquals(List.of(), run.when(plan(at(5000), List.of(A, B), List.of(A_ON_TARGET))));
        Refusal refused = assertThrows(Refusal.class, () -> run.when(new SyncNow(LINK, ALICE, "now", at(5001))));
        assertTrue(refused.correction().startsWith("resume it first"), refused.correction());
        List<LinkEvent> resumed = run.when(new ResumeLink(LINK, ALICE, "done", at(6000)));
        assertEquals(List.of(new LinkResumed(LINK, ALICE, "done", at(6000)),
                new LinkStateChanged(LINK, LinkState.PAUSED, LinkState.LAGGING, at(6000))), resumed);
        only(ReplicationScheduled.class, run.when(plan(at(6001), List.of(A, B), List.of(A_ON_TARGET))));
    }

    @Test
    void syncNowBypassesTheIntervalOnce() {
        Links.Run run = syncedOnA();
        assertEquals(List.of(), run.when(plan(at(100), List.of(A, B), List.of(A_ON_TARGET))).stream()
                .filter(ReplicationScheduled.class::isInstance).toList());
        assertEquals(List.of(new SyncRequested(LINK, ALICE, "before the upgrade", at(110))),
                run.when(new SyncNow(LINK, ALICE, "before the upgrade", at(110))));
        ReplicationScheduled s = only(ReplicationScheduled.class, run.when(plan(at(120), List.of(A, B), List.of(A_ON_TARGET))));
        run.when(new RecordTransferCompleted(LINK, s.transferId(), B.guid(), at(130)));
        assertEquals(List.of(), run.when(plan(at(140), List.of(A, B, C), List.of(A_ON_TARGET, B_ON_TARGET))).stream()
                .filter(ReplicationScheduled.class::isInstance).toList(), "the request was used up");
    }

    @Test
    void aTargetFoundUpToDateEndsTheFailuresWithoutClaimingATransfer() {
        // the stalled transfer did finish after all: the inventory says so
        Links.Run run = transferringAtoC();
        run.when(new CheckStall(LINK, at(5000)));
        assertEquals(LinkState.FAILING, run.state.state());
        List<LinkEvent> events = run.when(plan(at(6000), List.of(A, B, C), List.of(A_ON_TARGET, dst("b", 2, 701), dst("c", 3, 702))));
        assertEquals(List.of(new TargetCaughtUp(LINK, SnapshotRef.of(C), at(6000)),
                new BaseChanged(LINK, SOURCE, A.guid(), SnapshotRef.of(C), at(6000)),
                new LinkStateChanged(LINK, LinkState.FAILING, LinkState.IN_SYNC, at(6000))), events);
        assertEquals(at(60), run.state.lastSuccessAt(), "the last successful transfer is still the one we saw succeed");
    }

    @Test
    void linksToDifferentTargetsHoldTheirBasesUnderDifferentHolders() {
        LinkId standby = new LinkId(SOURCE, DatasetId.parse("standby:tank/vm1"));
        assertNotEquals(new BaseChanged(LINK, SOURCE, null, SnapshotRef.of(A), T0).holder(),
                new BaseChanged(standby, SOURCE, null, SnapshotRef.of(A), T0).holder());
    }

    @Test
    void commandsOnALinkNeverEstablishedAreRefused() {
        assertThrows(Refusal.class, () -> new Links.Run().when(plan(T0, List.of(A), List.of())));
    }

    @Test
    void establishingTwiceIsANoOpAndWithOtherSettingsChangesThemKeepingTheState() {
        Links.Run run = new Links.Run().given(established());
        assertEquals(List.of(), run.when(Links.establish()));
        LinkState before = run.state.state();
        assertEquals(List.of(new io.zsentinel.replication.api.link.LinkSettingsChanged(LINK, Duration.ofHours(1),
                        Links.POLICY, T0)),
                run.when(new EstablishLink(SOURCE, Links.TARGET_SERVER, Links.TARGET_DATASET, Duration.ofHours(1),
                        Links.POLICY, T0)));
        assertEquals(Duration.ofHours(1), run.state.interval());
        assertEquals(before, run.state.state());
    }
}
