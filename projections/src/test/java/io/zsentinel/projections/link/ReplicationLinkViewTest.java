package io.zsentinel.projections.link;

import io.zsentinel.core.ManualClock;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.LinkState;
import io.zsentinel.replication.api.link.PauseLink;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.RecordTransferCompleted;
import io.zsentinel.replication.api.link.RecordTransferFailed;
import io.zsentinel.replication.api.link.RecordTransferProgress;
import io.zsentinel.replication.api.link.ResolveDivergence;
import io.zsentinel.replication.api.link.ResumeLink;
import io.zsentinel.replication.api.link.RetireLink;
import io.zsentinel.replication.api.link.EstablishLink;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.zsentinel.projections.Events.A_VM1;
import static io.zsentinel.projections.Events.T0;
import static io.zsentinel.projections.Events.recorded;
import static io.zsentinel.projections.Events.registered;
import static io.zsentinel.projections.link.LinkHistory.ALICE;
import static io.zsentinel.projections.link.LinkHistory.BACKUP_VM1;
import static io.zsentinel.projections.link.LinkHistory.LINK;
import static io.zsentinel.projections.link.LinkHistory.guid;
import static io.zsentinel.projections.link.LinkHistory.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The link view fed with the events the real decider emits. */
class ReplicationLinkViewTest {
    private final ManualClock clock = new ManualClock(T0);
    private final ReplicationLinkView view = new ReplicationLinkView(clock);
    private final LinkHistory history = LinkHistory.established(LinkPolicy.defaults());

    private LinkRow row() {
        history.feed(view, 0);
        return view.link(LINK).orElseThrow();
    }

    /** Full send of s1 at T0+1m, 1000 bytes at +10 s, received at T0+2m. */
    private UUID firstTransfer() {
        UUID t = history.plan(1, List.of(), T0.plusSeconds(60));
        history.decide(new RecordTransferProgress(LINK, t, 1000, T0.plusSeconds(70)));
        history.decide(new RecordTransferCompleted(LINK, t, guid(1), T0.plusSeconds(120)));
        return t;
    }

    @Test
    void aLinksVersionChangesWithEachOfItsEventsAppliedAndNotWithARedelivery() {
        assertEquals(-1, view.version(LINK), "not known");
        history.feed(view, 0);
        long established = view.version(LINK);
        history.feed(view, 0);
        assertEquals(established, view.version(LINK), "a redelivered event is not applied again");
        int before = history.size();
        firstTransfer();
        history.feed(view, before);
        assertTrue(view.version(LINK) != established, "a transfer ran");
    }

    @Test
    void aRetiredLinkIsNoLongerShownUntilItIsConfiguredAgain() {
        firstTransfer();
        history.decide(new RetireLink(LINK, "rule removed", T0.plusSeconds(200)));
        history.feed(view, 0);
        assertEquals(List.of(), view.links(), "neither on the dashboard nor in /metrics");
        history.decide(new EstablishLink(LINK.source(), LINK.target().server(), LINK.target().dataset(),
                Duration.ofMinutes(15), LinkPolicy.defaults(), T0.plusSeconds(300)));
        history.feed(view, 0);
        assertEquals(List.of(LINK.toString()), view.links().stream().map(LinkRow::id).toList());
        assertNull(view.link(LINK).orElseThrow().base(), "released: the next plan finds the common base again");
    }

    @Test
    void anEstablishedLinkIsLaggingWithNothingReplicated() {
        LinkRow r = row();
        assertEquals("store-a:primary/vm1->store-b:backup/vm1", r.id());
        assertEquals(new LinkRow.Endpoint("store-a", "primary/vm1"), r.source());
        assertEquals(new LinkRow.Endpoint("store-b", "backup/vm1"), r.target());
        assertEquals(LinkState.LAGGING, r.linkState());
        assertEquals(900, r.intervalSeconds());
        assertNull(r.base());
        assertNull(r.lastSuccessAt());
        assertNull(r.lagSeconds(), "nothing replicated: the lag is unbounded, not zero");
        assertEquals(List.of(r), view.links());
        assertEquals(Optional.empty(), view.link(LinkId.parse("store-a:primary/vm2->store-b:backup/vm2")));
    }

    @Test
    void aTransferInFlightShowsItsProgressAndRate() {
        UUID t = history.plan(1, List.of(), T0.plusSeconds(60));
        history.decide(new RecordTransferProgress(LINK, t, 1000, T0.plusSeconds(70)));
        LinkRow r = row();
        assertEquals(LinkState.TRANSFERRING, r.linkState());
        assertEquals(t, r.transfer().transferId());
        assertNull(r.transfer().from(), "a full send has no from");
        assertEquals("primary/vm1@s1", r.transfer().to());
        assertEquals(T0.plusSeconds(60), r.transfer().startedAt());
        assertEquals(1000, r.transfer().bytes());
        assertEquals(100L, r.transfer().bytesPerSecond());
    }

    @Test
    void aSuccessSetsTheBaseAndTheLastSuccess() {
        firstTransfer();
        clock.set(T0.plusSeconds(600));
        LinkRow r = row();
        assertEquals(LinkState.IN_SYNC, r.linkState());
        assertNull(r.transfer());
        assertEquals(new LinkRow.Base("primary/vm1@s1", "1001", T0.plusSeconds(60)), r.base());
        assertEquals(T0.plusSeconds(120), r.lastSuccessAt());
        assertEquals(480L, r.lastSuccessAgeSeconds());
        assertEquals(540L, r.lagSeconds(), "without the inventory: assumed behind since the base was created");
    }

    @Test
    void withTheInventoryALinkIsBehindOnlyWhileTheSourceHasNewerSnapshots() {
        SnapshotInventoryView inventory = new SnapshotInventoryView();
        ReplicationLinkView withInventory = new ReplicationLinkView(clock, inventory);
        firstTransfer();
        history.feed(withInventory, 0);
        inventory.on(registered(A_VM1), T0);
        inventory.on(recorded(A_VM1, "s1", 60, false), T0); // created T0+60 s, as the base
        clock.set(T0.plusSeconds(600));
        assertEquals(0L, withInventory.link(LINK).orElseThrow().lagSeconds());
        inventory.on(recorded(A_VM1, "s2", 300, false), T0);
        assertEquals(540L, withInventory.link(LINK).orElseThrow().lagSeconds());
    }

    /** Before, the view compared creation times only: a snapshot taken in the base's second looked replicated. */
    @Test
    void aSourceSnapshotNewerThanTheBaseByCreatetxgInTheSameSecondIsBehind() {
        SnapshotInventoryView inventory = new SnapshotInventoryView();
        ReplicationLinkView withInventory = new ReplicationLinkView(clock, inventory);
        firstTransfer();
        history.feed(withInventory, 0);
        SnapshotInfo base = snapshot(A_VM1.dataset(), "s1", 1); // the link's base: guid 1001, created T0+60 s
        inventory.on(registered(A_VM1), T0);
        inventory.on(new SnapshotRecorded(A_VM1, base, null, T0), T0);
        clock.set(T0.plusSeconds(600));
        assertEquals(0L, withInventory.link(LINK).orElseThrow().lagSeconds());

        SnapshotInfo sameSecond = new SnapshotInfo(A_VM1.dataset().snapshot("checkpoint"), new Guid(5555),
                base.createtxg() + 1, base.created(), 0, 0);
        inventory.on(new SnapshotRecorded(A_VM1, sameSecond, null, T0), T0);
        assertEquals(540L, withInventory.link(LINK).orElseThrow().lagSeconds());
    }

    @Test
    void failingShowsSinceTheFirstFailureEvenAfterARetryIsScheduledUntilASuccess() {
        firstTransfer();
        Instant first = T0.plusSeconds(1200);
        UUID t2 = history.plan(2, List.of(snapshot(BACKUP_VM1, "s1", 1)), first.minusSeconds(60));
        history.decide(new RecordTransferFailed(LINK, t2, "ssh: connection refused", null, first));
        LinkRow failed = row();
        assertEquals(LinkState.FAILING, failed.linkState());
        assertEquals(1, failed.consecutiveFailures());
        assertEquals(first, failed.failingSince());
        assertEquals("ssh: connection refused", failed.lastFailureReason());
        assertEquals(first.plusSeconds(10), failed.nextRetryAt());

        UUID t3 = history.plan(2, List.of(snapshot(BACKUP_VM1, "s1", 1)), first.plusSeconds(10));
        LinkRow retrying = row();
        assertEquals(LinkState.FAILING, retrying.linkState(), "a retry in flight is still failing");
        assertEquals(first, retrying.failingSince());
        assertEquals(t3, retrying.transfer().transferId());
        assertEquals(2, retrying.transfer().attempt());

        history.decide(new RecordTransferFailed(LINK, t3, "no space left on device", null, first.plusSeconds(20)));
        history.plan(2, List.of(snapshot(BACKUP_VM1, "s1", 1)), first.plusSeconds(60));
        LinkRow again = row();
        assertEquals(2, again.consecutiveFailures());
        assertEquals(first, again.failingSince(), "the first failure's time, not the latest");
        assertEquals("no space left on device", again.lastFailureReason());
        assertNull(again.nextRetryAt(), "the retry is in flight");

        UUID t4 = again.transfer().transferId();
        history.decide(new RecordTransferCompleted(LINK, t4, guid(2), first.plusSeconds(90)));
        LinkRow ok = row();
        assertEquals(LinkState.IN_SYNC, ok.linkState());
        assertEquals(0, ok.consecutiveFailures());
        assertNull(ok.failingSince());
        assertNull(ok.lastFailureReason());
        assertEquals(first.plusSeconds(90), ok.lastSuccessAt());
        assertEquals("primary/vm1@s2", ok.base().name());
    }

    @Test
    void aCaughtUpTargetMovesTheBaseButNotTheLastSuccess() {
        firstTransfer();
        UUID t2 = history.plan(2, List.of(snapshot(BACKUP_VM1, "s1", 1)), T0.plusSeconds(1200));
        history.decide(new RecordTransferFailed(LINK, t2, "timeout", null, T0.plusSeconds(1210)));
        // the transfer we gave up on did arrive: the next inventories show s2 on the target
        history.decide(new PlanReplication(LINK, LinkHistory.source(2),
                List.of(snapshot(BACKUP_VM1, "s1", 1), snapshot(BACKUP_VM1, "s2", 2)), false, T0.plusSeconds(1300)));
        LinkRow r = row();
        assertEquals("primary/vm1@s2", r.base().name());
        assertEquals(T0.plusSeconds(120), r.lastSuccessAt(), "only a ReplicationSucceeded is a success we saw");
        assertNull(r.failingSince());
    }

    @Test
    void aDivergedTargetShowsWhyAndWhatOnlyItHasUntilResolved() {
        firstTransfer();
        history.decide(new PlanReplication(LINK, LinkHistory.source(2),
                List.of(snapshot(BACKUP_VM1, "s1", 1), snapshot(BACKUP_VM1, "t3", 3)), false, T0.plusSeconds(1200)));
        LinkRow r = row();
        assertEquals(LinkState.DIVERGED, r.linkState());
        assertNotNull(r.diverged().reason());
        assertEquals(List.of("backup/vm1@t3"), r.diverged().targetOnly());
        assertEquals("primary/vm1@s1", r.diverged().commonBase());
        assertEquals(T0.plusSeconds(1200), r.diverged().since());

        history.decide(new ResolveDivergence(LINK, true, ALICE, "target was mounted by mistake", T0.plusSeconds(1300)));
        LinkRow resolved = row();
        assertNull(resolved.diverged());
        assertEquals(new LinkRow.OperatorMark("alice@ops", "target was mounted by mistake", T0.plusSeconds(1300)),
                resolved.resolutionOrdered());
        assertFalse(resolved.linkState() == LinkState.DIVERGED);
    }

    @Test
    void pausedAndResumed() {
        firstTransfer();
        history.decide(new PauseLink(LINK, ALICE, "target maintenance", T0.plusSeconds(300)));
        LinkRow paused = row();
        assertEquals(LinkState.PAUSED, paused.linkState());
        assertEquals(new LinkRow.OperatorMark("alice@ops", "target maintenance", T0.plusSeconds(300)), paused.paused());
        history.decide(new ResumeLink(LINK, ALICE, "maintenance done", T0.plusSeconds(400)));
        LinkRow resumed = row();
        assertNull(resumed.paused());
        assertTrue(resumed.linkState() != LinkState.PAUSED);
    }

    @Test
    void anOpenCircuitShowsUntilWhenAndClosesWithTime() {
        LinkHistory twoStrikes = LinkHistory.established(new LinkPolicy(Duration.ofSeconds(10), 2.0,
                Duration.ofMinutes(10), Duration.ofMinutes(5), 2, Duration.ofMinutes(30)));
        UUID t1 = twoStrikes.plan(1, List.of(), T0.plusSeconds(60));
        twoStrikes.decide(new RecordTransferFailed(LINK, t1, "refused", null, T0.plusSeconds(70)));
        UUID t2 = twoStrikes.plan(1, List.of(), T0.plusSeconds(80));
        twoStrikes.decide(new RecordTransferFailed(LINK, t2, "refused", null, T0.plusSeconds(90)));
        twoStrikes.feed(view, 0);
        clock.set(T0.plusSeconds(100));
        LinkRow open = view.link(LINK).orElseThrow();
        assertTrue(open.circuitOpen());
        assertEquals(T0.plusSeconds(90).plus(Duration.ofMinutes(30)), open.circuitOpenUntil());
        assertEquals(open.circuitOpenUntil(), open.nextRetryAt());
        assertEquals(T0.plusSeconds(70), open.failingSince());
        clock.set(T0.plusSeconds(90).plus(Duration.ofMinutes(31)));
        assertFalse(view.link(LINK).orElseThrow().circuitOpen(), "half-open once the cool-down is over");
    }

    @Test
    void redeliveredEventsChangeNothing() {
        firstTransfer();
        history.decide(new PauseLink(LINK, ALICE, "maintenance", T0.plusSeconds(300)));
        history.feed(view, 0);
        clock.set(T0.plusSeconds(600));
        LinkRow once = view.link(LINK).orElseThrow();
        history.feed(view, 0); // the whole history again
        history.stored().forEach(s -> view.on(s.event(), s.sequence())); // and each event once more
        assertEquals(once, view.link(LINK).orElseThrow());
    }

    @Test
    void aResetForgetsEverythingAndAReplayRebuildsIt() {
        firstTransfer();
        LinkRow before = row();
        view.reset();
        assertTrue(view.links().isEmpty());
        history.feed(view, 0);
        assertEquals(before, view.link(LINK).orElseThrow());
    }
}
