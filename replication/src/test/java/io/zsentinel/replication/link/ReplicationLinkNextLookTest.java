package io.zsentinel.replication.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.replication.api.link.CheckStall;
import io.zsentinel.replication.api.link.LinkState;
import io.zsentinel.replication.api.link.LinkStateChanged;
import io.zsentinel.replication.api.link.PauseLink;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.RecordTransferCompleted;
import io.zsentinel.replication.api.link.RecordTransferFailed;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.api.link.TransferStalled;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.zsentinel.replication.link.Links.ALICE;
import static io.zsentinel.replication.link.Links.LINK;
import static io.zsentinel.replication.link.Links.plan;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.A;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.A_ON_TARGET;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.B;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.C;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.at;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.only;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.syncedOnA;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.transferringAtoC;
import static io.zsentinel.replication.link.ReplicationPlannerTest.dst;
import static io.zsentinel.replication.link.ReplicationPlannerTest.src;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * When a link answers it must be planned again by time alone: the first instant at which a plan (or a stall
 * check) on the same inputs decides otherwise — never later, or the scheduler would miss a transfer, a retry,
 * a lag or a stall.
 */
class ReplicationLinkNextLookTest {
    static final List<SnapshotInfo> SOURCE = List.of(A, B, C);
    static final List<SnapshotInfo> TARGET = List.of(A_ON_TARGET);

    static Instant nextLook(Links.Run run, PlanReplication plan) {
        run.when(plan);
        return ReplicationLinkDecider.nextLook(run.state, plan);
    }

    @Test
    void aLinkWithinItsIntervalIsLookedAtWhenItsNextTransferIsDue() {
        Links.Run run = syncedOnA(); // base A at t=60, interval 15 min
        Instant next = nextLook(run, plan(at(120), SOURCE, TARGET));
        assertEquals(at(60 + 900), next, "the interval since the last success; B lags only from 20 + 900 + 450");
        assertEquals(List.of(), run.when(plan(next.minusSeconds(1), SOURCE, TARGET)));
        only(ReplicationScheduled.class, run.when(plan(next, SOURCE, TARGET)));
    }

    @Test
    void aTransferInFlightIsLookedAtWhenItWouldCountAsStalled() {
        Links.Run run = transferringAtoC(); // scheduled at 960, no progress since
        Instant next = nextLook(run, plan(at(1000), SOURCE, TARGET));
        assertEquals(at(960 + 300 + 30), next, "stall timeout 5 min plus the grace");
        assertEquals(List.of(), run.when(new CheckStall(LINK, next.minusSeconds(1))));
        only(TransferStalled.class, run.when(new CheckStall(LINK, next)));
    }

    @Test
    void aFailedLinkIsLookedAtWhenItsRetryIsDue() {
        Links.Run run = transferringAtoC();
        run.when(new RecordTransferFailed(LINK, run.state.inFlight().id(), "ssh: connection reset", null, at(1000)));
        Instant next = nextLook(run, plan(at(1001), SOURCE, TARGET));
        assertEquals(at(1010), next, "backoff 10 s");
        only(ReplicationScheduled.class, run.when(plan(next, SOURCE, TARGET)));
    }

    @Test
    void aLinkInSyncIsLookedAtWhenItStartsToLagIfThatComesBeforeItsNextTransfer() {
        Links.Run run = transferringAtoC();
        SnapshotInfo d = src("d", 4, 1000);
        run.when(new RecordTransferCompleted(LINK, run.state.inFlight().id(), C.guid(), at(2000)));
        List<SnapshotInfo> source = List.of(A, B, C, d);
        List<SnapshotInfo> target = List.of(A_ON_TARGET, dst("c", 3, 702));
        Instant next = nextLook(run, plan(at(2100), source, target));
        assertEquals(at(1000 + 900 + 450).plusNanos(1), next, "D lags after 1000 + 900 + 450; due only at 2900");
        assertEquals(List.of(new LinkStateChanged(LINK, LinkState.IN_SYNC, LinkState.LAGGING, next)),
                run.when(plan(next, source, target)));
    }

    @Test
    void aPausedLinkOrOneWithNothingToWaitForIsLookedAtOnlyWhenItsInputsChange() {
        Links.Run run = syncedOnA();
        assertNull(nextLook(run, plan(at(2000), List.of(A), List.of(A_ON_TARGET))), "up to date and due: nothing by time");
        run.when(new PauseLink(LINK, ALICE, "maintenance", at(2001)));
        assertNull(nextLook(run, plan(at(2002), SOURCE, TARGET)), "paused: its resume is an event");
    }
}
