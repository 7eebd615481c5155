package io.zsentinel.replication.link;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.replication.api.link.BaseChanged;
import io.zsentinel.replication.api.link.LinkEvent;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.RecordTransferCompleted;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.api.link.SnapshotRef;
import io.zsentinel.replication.api.link.TargetDiverged;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.zsentinel.replication.link.Links.LINK;
import static io.zsentinel.replication.link.Links.SOURCE;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.A;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.A_ON_TARGET;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.B;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.C;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.at;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.only;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.syncedOnA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a plan is shown besides the two snapshot lists: the source's cursor bookmark, the target's written reports, and how old the target's inventory is. */
class ReplicationLinkPlanInputsTest {
    static final BookmarkInfo CURSOR_A = new BookmarkInfo(new BookmarkName(SOURCE.dataset(), "zsentinel-cursor-k-1"),
            A.guid(), A.createtxg(), A.created());

    @Test
    void aBaseSnapshotPrunedOnTheSourceIsSentFromItsCursorBookmark() {
        Links.Run run = syncedOnA();
        // retention destroyed A on the source; the target still has it, the source its bookmark
        List<LinkEvent> events = run.when(new PlanReplication(LINK, List.of(B, C), List.of(A_ON_TARGET), null,
                at(60 + 900), List.of(CURSOR_A)));
        ReplicationScheduled s = only(ReplicationScheduled.class, events);
        assertTrue(s.fromBookmark());
        assertEquals(SOURCE.dataset().snapshot("zsentinel-cursor-k-1"), s.from().name(),
                "the stream's source is named by the bookmark's short name");
        assertEquals(A.guid(), s.from().guid());
        assertEquals(SnapshotRef.of(B), s.to(), "-i to the oldest after the bookmark; -I from there next time");
        assertFalse(s.intermediates());
        List<LinkEvent> done = run.when(new RecordTransferCompleted(LINK, s.transferId(), B.guid(), at(1000)));
        assertEquals(new BaseChanged(LINK, SOURCE, A.guid(), SnapshotRef.of(B), at(1000)), only(BaseChanged.class, done));
    }

    @Test
    void aWrittenReportAfterTheLastSuccessStopsTheLink() {
        Links.Run run = syncedOnA(); // last success at 60
        List<LinkEvent> events = run.when(new PlanReplication(LINK, List.of(A, B), List.of(A_ON_TARGET), at(61),
                at(2000), List.of()));
        assertTrue(only(TargetDiverged.class, events).reason().contains("written"));
    }

    @Test
    void aWrittenReportFromBeforeTheLastSuccessIsStaleNotADivergence() {
        Links.Run run = syncedOnA(); // last success at 60: that receive left the target clean
        List<LinkEvent> events = run.when(new PlanReplication(LINK, List.of(A, B), List.of(A_ON_TARGET), at(59),
                at(2000), List.of()));
        assertTrue(events.stream().noneMatch(TargetDiverged.class::isInstance), events::toString);
        assertEquals(SnapshotRef.of(B), only(ReplicationScheduled.class, events).to());
    }

    @Test
    void rightAfterASuccessTheTargetsOlderInventoryIsCompletedWithTheBaseItJustReceived() {
        Links.Run run = syncedOnA(); // A received at 60; the target's inventory was last reported at 50, without A
        List<LinkEvent> events = run.when(new PlanReplication(LINK, List.of(A, B), List.of(), null, at(60 + 900),
                List.of(), at(50)));
        ReplicationScheduled s = only(ReplicationScheduled.class, events);
        assertEquals(SnapshotRef.of(A), s.from(), "incremental from the base the link knows the target has");
        assertEquals(SnapshotRef.of(B), s.to());
    }

    @Test
    void aTargetInventoryReportedAfterTheSuccessIsTakenAsItIs() {
        Links.Run run = syncedOnA();
        // reported at 70 without A: someone destroyed it there; the link does not assume it
        List<LinkEvent> events = run.when(new PlanReplication(LINK, List.of(A, B), List.of(), null, at(60 + 900),
                List.of(), at(70)));
        assertNull(only(ReplicationScheduled.class, events).from(), events::toString);
    }
}
