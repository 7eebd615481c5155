package io.zsentinel.replication.link;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.replication.link.ReplicationPlan.Diverged;
import io.zsentinel.replication.link.ReplicationPlan.FullSend;
import io.zsentinel.replication.link.ReplicationPlan.Incremental;
import io.zsentinel.replication.link.ReplicationPlan.IncrementalFromBookmark;
import io.zsentinel.replication.link.ReplicationPlan.NothingToSend;
import io.zsentinel.replication.link.ReplicationPlanner.Options;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.zsentinel.replication.link.ReplicationPlannerTest.SRC;
import static io.zsentinel.replication.link.ReplicationPlannerTest.T0;
import static io.zsentinel.replication.link.ReplicationPlannerTest.dst;
import static io.zsentinel.replication.link.ReplicationPlannerTest.src;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Where the source keeps bookmarks (OpenZFS): a link's cursor outlives the snapshot it marks. */
class ReplicationPlannerBookmarkTest {

    static BookmarkInfo mark(String name, long guid, long txg) {
        return new BookmarkInfo(new BookmarkName(SRC, name), new Guid(guid), txg, T0.plusSeconds(txg));
    }

    static ReplicationPlan plan(List<SnapshotInfo> source, List<BookmarkInfo> marks, List<SnapshotInfo> target) {
        return ReplicationPlanner.plan(source, marks, target, Options.defaults());
    }

    @Test
    void aPrunedBaseIsReplacedByItsBookmarkAndTheNextSnapshotIsSentFromIt() {
        // b was sent, then pruned on the source; the cursor bookmark keeps its guid and txg
        SnapshotInfo a = src("a", 1, 10), c = src("c", 3, 30), d = src("d", 4, 40);
        BookmarkInfo cursor = mark("zsentinel-cursor-x-2", 2, 20);
        ReplicationPlan p = plan(List.of(a, c, d), List.of(cursor), List.of(dst("a", 1, 500), dst("b", 2, 501)));
        // -I cannot start at a bookmark: first c alone, so the target keeps c and then gets d with -I
        assertEquals(new IncrementalFromBookmark(cursor, c), p);
    }

    @Test
    void withoutIntermediatesTheBookmarkStreamGoesStraightToTheNewest() {
        SnapshotInfo c = src("c", 3, 30), d = src("d", 4, 40);
        BookmarkInfo cursor = mark("cur", 2, 20);
        assertEquals(new IncrementalFromBookmark(cursor, d), ReplicationPlanner.plan(List.of(c, d), List.of(cursor),
                List.of(dst("b", 2, 501)), new Options(false, false)));
    }

    @Test
    void aSnapshotStillThereIsPreferredToItsBookmark() {
        SnapshotInfo b = src("b", 2, 20), c = src("c", 3, 30);
        ReplicationPlan p = plan(List.of(b, c), List.of(mark("cur", 2, 20)), List.of(dst("b", 2, 501)));
        assertEquals(new Incremental(b, c, true), p);
    }

    @Test
    void aBookmarkOlderThanTheNewestCommonSnapshotIsIgnored() {
        SnapshotInfo b = src("b", 2, 20), c = src("c", 3, 30);
        ReplicationPlan p = plan(List.of(b, c), List.of(mark("old", 1, 10)),
                List.of(dst("a", 1, 500), dst("b", 2, 501)));
        assertEquals(new Incremental(b, c, true), p);
    }

    @Test
    void aBookmarkTheTargetDoesNotHoldIsNoBase() {
        SnapshotInfo c = src("c", 3, 30);
        assertEquals(new FullSend(c), plan(List.of(c), List.of(mark("cur", 2, 20)), List.of()));
        ReplicationPlan p = plan(List.of(c), List.of(mark("cur", 2, 20)), List.of(dst("x", 9, 501)));
        assertInstanceOf(Diverged.class, p);
    }

    @Test
    void matchingIsByGuidNotByTheBookmarksName() {
        SnapshotInfo c = src("c", 3, 30);
        // named like the target's snapshot, but another guid: not a base
        ReplicationPlan p = plan(List.of(c), List.of(mark("b", 7, 20)), List.of(dst("b", 2, 501)));
        assertInstanceOf(Diverged.class, p);
    }

    @Test
    void aTargetSnapshotNewerThanTheBookmarkThatTheSourceLacksIsADivergence() {
        SnapshotInfo c = src("c", 3, 30);
        ReplicationPlan p = plan(List.of(c), List.of(mark("cur", 2, 20)),
                List.of(dst("b", 2, 501), dst("own", 8, 502)));
        Diverged d = assertInstanceOf(Diverged.class, p);
        assertEquals(List.of(dst("own", 8, 502)), d.targetOnly());
        assertNull(d.commonBase()); // no source snapshot a rollback could name
    }

    @Test
    void aWrittenTargetIsADivergenceAlsoFromABookmark() {
        SnapshotInfo c = src("c", 3, 30);
        ReplicationPlan p = ReplicationPlanner.plan(List.of(c), List.of(mark("cur", 2, 20)), List.of(dst("b", 2, 501)),
                Options.targetWritten(true));
        assertInstanceOf(Diverged.class, p);
    }

    @Test
    void nothingNewerThanTheBookmarkOnTheSourceIsNothingToSend() {
        SnapshotInfo a = src("a", 1, 10);
        assertEquals(new NothingToSend(), plan(List.of(a), List.of(mark("cur", 2, 20)),
                List.of(dst("a", 1, 500), dst("b", 2, 501))));
    }
}
