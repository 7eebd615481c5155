package io.zsentinel.replication.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.replication.link.ReplicationPlan.Diverged;
import io.zsentinel.replication.link.ReplicationPlan.FullSend;
import io.zsentinel.replication.link.ReplicationPlan.Incremental;
import io.zsentinel.replication.link.ReplicationPlan.NothingToSend;
import io.zsentinel.replication.link.ReplicationPlan.UpToDate;
import io.zsentinel.replication.link.ReplicationPlanner.Options;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planner as a specification: two inventories in, one plan out; identity is the guid. */
class ReplicationPlannerTest {
    static final DatasetName SRC = DatasetName.of("primary/vm1");
    static final DatasetName DST = DatasetName.of("backup/primary/vm1");
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    static SnapshotInfo src(String name, long guid, long txg) {
        return new SnapshotInfo(SRC.snapshot(name), new Guid(guid), txg, T0.plusSeconds(txg), 100, 200);
    }

    /** The same snapshot on the target: same guid, its own pool's txg (unrelated to the source's), maybe another name. */
    static SnapshotInfo dst(String name, long guid, long txg) {
        return new SnapshotInfo(DST.snapshot(name), new Guid(guid), txg, T0.plusSeconds(txg), 100, 200);
    }

    static ReplicationPlan plan(List<SnapshotInfo> source, List<SnapshotInfo> target) {
        return ReplicationPlanner.plan(source, target, Options.defaults());
    }

    @Test
    void anEmptySourceHasNothingToSend() {
        assertEquals(new NothingToSend(), plan(List.of(), List.of()));
    }

    @Test
    void theFirstTransferIsAFullSendOfTheNewestSnapshot() {
        SnapshotInfo a = src("a", 1, 10), b = src("b", 2, 20);
        assertEquals(new FullSend(b), plan(List.of(b, a), List.of()));
    }

    @Test
    void nextIsIncrementalFromTheNewestCommonSnapshotToTheNewestSource() {
        SnapshotInfo a = src("a", 1, 10), b = src("b", 2, 20), c = src("c", 3, 30);
        assertEquals(new Incremental(b, c, true), plan(List.of(a, b, c), List.of(dst("a", 1, 500), dst("b", 2, 501))));
    }

    /**
     * Issue 8: a plan made on an inventory a moment behind the source (s2 not shown yet) sent {@code -i s1 s3},
     * and the target lacked s2 for good. A link that keeps intermediates always sends {@code -I}: zfs sends
     * what lies between on the source at send time, whatever the inventory showed.
     */
    @Test
    void anInventoryThatDoesNotShowAnIntermediateYetStillSendsWithIntermediates() {
        SnapshotInfo a = src("a", 1, 10), c = src("c", 3, 30);
        assertEquals(new Incremental(a, c, true), plan(List.of(a, c), List.of(dst("a", 1, 7))));
    }

    @Test
    void snapshotsOfOneTxgAreOrderedTheSameWayWhateverTheListOrder() {
        SnapshotInfo a = src("a", 1, 10);
        SnapshotInfo early = new SnapshotInfo(SRC.snapshot("b1"), new Guid(2), 20, T0.plusSeconds(20), 1, 1);
        SnapshotInfo late = new SnapshotInfo(SRC.snapshot("b2"), new Guid(3), 20, T0.plusSeconds(21), 1, 1);
        List<SnapshotInfo> target = List.of(dst("a", 1, 7));
        assertEquals(new Incremental(a, late, true), plan(List.of(a, late, early), target));
        assertEquals(new Incremental(a, late, true), plan(List.of(early, a, late), target));
        assertEquals(new UpToDate(late), plan(List.of(late, early, a), List.of(dst("a", 1, 7), dst("b2", 3, 8))));
    }

    @Test
    void intermediatesAreFlaggedWhenSnapshotsLieBetweenBaseAndNewest() {
        SnapshotInfo a = src("a", 1, 10), b = src("b", 2, 20), c = src("c", 3, 30);
        assertEquals(new Incremental(a, c, true), plan(List.of(a, b, c), List.of(dst("a", 1, 7))));
        assertEquals(new Incremental(a, c, false),
                ReplicationPlanner.plan(List.of(a, b, c), List.of(dst("a", 1, 7)), new Options(false, false)));
    }

    @Test
    void theCommonBaseIsFoundByGuidWhenTheTargetNamedItDifferently() {
        SnapshotInfo a = src("auto-2026-11-25", 1, 10), b = src("auto-2026-11-26", 2, 20);
        List<SnapshotInfo> target = List.of(dst("renamed-on-target", 1, 900));
        assertEquals(Optional.of(a), ReplicationPlanner.commonBase(List.of(a, b), target));
        assertEquals(new Incremental(a, b, true), plan(List.of(a, b), target));
    }

    @Test
    void aSnapshotRenamedOnTheSourceIsStillTheBase() {
        SnapshotInfo renamed = src("kept-forever", 1, 10), b = src("b", 2, 20);
        assertEquals(new Incremental(renamed, b, true), plan(List.of(renamed, b), List.of(dst("a", 1, 3))));
        assertEquals(new UpToDate(b), plan(List.of(renamed, b), List.of(dst("a", 1, 3), dst("b-renamed", 2, 4))));
    }

    @Test
    void aSameNamedSnapshotWithAnotherGuidIsNotCommon() {
        SnapshotInfo a = src("a", 1, 10), b = src("b", 2, 20);
        assertEquals(Optional.empty(), ReplicationPlanner.commonBase(List.of(a, b), List.of(dst("b", 99, 20))));
    }

    @Test
    void noCommonBaseWithAnEmptyTargetIsAFullSend() {
        SnapshotInfo a = src("a", 1, 10);
        assertEquals(new FullSend(a), plan(List.of(a), List.of()));
    }

    @Test
    void noCommonBaseWithANonEmptyTargetIsDivergedNeverOverwritten() {
        SnapshotInfo a = src("a", 1, 10);
        SnapshotInfo foreign = dst("x", 42, 5);
        Diverged d = assertInstanceOf(Diverged.class, plan(List.of(a), List.of(foreign)));
        assertEquals(null, d.commonBase());
        assertEquals(List.of(foreign), d.targetOnly());
    }

    @Test
    void aTargetSnapshotNewerThanTheBaseThatTheSourceLacksIsDivergence() {
        SnapshotInfo a = src("a", 1, 10), b = src("b", 2, 20);
        SnapshotInfo local = dst("made-on-target", 77, 600);
        Diverged d = assertInstanceOf(Diverged.class, plan(List.of(a, b), List.of(dst("a", 1, 500), local)));
        assertEquals(a, d.commonBase());
        assertEquals(List.of(local), d.targetOnly());
        assertTrue(d.reason().contains("newer than the common base"), d.reason());
    }

    @Test
    void aTargetSnapshotOlderThanTheBaseThatTheSourcePrunedIsNotDivergence() {
        SnapshotInfo b = src("b", 2, 20), c = src("c", 3, 30);
        assertEquals(new Incremental(b, c, true), plan(List.of(b, c), List.of(dst("a", 1, 400), dst("b", 2, 401))));
    }

    @Test
    void aTargetWrittenToSinceTheBaseIsDivergence() {
        SnapshotInfo a = src("a", 1, 10), b = src("b", 2, 20);
        Diverged d = assertInstanceOf(Diverged.class,
                ReplicationPlanner.plan(List.of(a, b), List.of(dst("a", 1, 5)), Options.targetWritten(true)));
        assertEquals(a, d.commonBase());
        assertEquals(List.of(), d.targetOnly());
    }

    @Test
    void aSourceDestroyedAndRecreatedWithTheSameNamesIsNotMatchedByName() {
        // the target received a@1, b@2 from the old dataset; the new one reuses the names with new guids
        List<SnapshotInfo> recreated = List.of(src("a", 101, 3), src("b", 102, 4));
        List<SnapshotInfo> target = List.of(dst("a", 1, 500), dst("b", 2, 501));
        assertEquals(Optional.empty(), ReplicationPlanner.commonBase(recreated, target));
        Diverged d = assertInstanceOf(Diverged.class, plan(recreated, target));
        assertEquals(target, d.targetOnly());
    }

    @Test
    void eachSideIsOrderedByItsOwnTxgsNeverAcrossPools() {
        // source txgs are small, target txgs large and in another order of magnitude: only guids link them
        SnapshotInfo a = src("a", 1, 10), b = src("b", 2, 20), c = src("c", 3, 30);
        List<SnapshotInfo> target = List.of(dst("b", 2, 1_000_001), dst("a", 1, 1_000_000));
        assertEquals(new Incremental(b, c, true), plan(List.of(c, a, b), target));
        // a target whose txgs are smaller than the source's does not make its newest look older
        SnapshotInfo local = dst("local", 9, 6);
        Diverged d = assertInstanceOf(Diverged.class,
                plan(List.of(a, b, c), List.of(dst("a", 1, 4), dst("b", 2, 5), local)));
        assertEquals(b, d.commonBase());
        assertEquals(List.of(local), d.targetOnly());
    }

    @Test
    void aTargetThatHasTheNewestIsUpToDate() {
        SnapshotInfo a = src("a", 1, 10), b = src("b", 2, 20);
        assertEquals(new UpToDate(b), plan(List.of(a, b), List.of(dst("a", 1, 1), dst("b", 2, 2))));
    }
}
