package io.zsentinel.replication.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.replication.api.link.SnapshotRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.zsentinel.replication.link.ReplicationPlannerTest.SRC;
import static io.zsentinel.replication.link.ReplicationPlannerTest.T0;
import static io.zsentinel.replication.link.ReplicationPlannerTest.src;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The lag a failover would lose now. Before, the decider's {@code lag()} (snapshot gap and time since the base, never
 * zero in sync, zero with an unknown inventory, negative before the base) and the view's {@code LinkLag} (newest
 * source snapshot compared by creation time) disagreed; the edges where they did are here.
 */
class ReplicationLagTest {
    // src(name, guid, txg): created at T0 + txg seconds
    private static final SnapshotInfo BASE = src("base", 1, 100);
    private static final SnapshotInfo NEWER = src("newer", 2, 160);
    private static final SnapshotRef BASE_REF = SnapshotRef.of(BASE);

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Optional<Duration> lag(List<SnapshotInfo> source, Instant now) {
        return ReplicationLag.of(BASE_REF, source, now);
    }

    @Test
    void behindIsTheTimeSinceTheBaseWasTakenOnTheSource() {
        assertEquals(Optional.of(Duration.ofSeconds(500)), lag(List.of(BASE, NEWER), at(600)));
    }

    @Test
    void inSyncIsZeroNotTheTimeSinceTheBase() {
        assertEquals(Optional.of(Duration.ZERO), lag(List.of(BASE), at(600)));
        assertEquals(Optional.of(Duration.ZERO), lag(List.of(src("older", 9, 50), BASE), at(600)));
    }

    @Test
    void nothingReplicatedIsUnboundedAndAnUnknownSourceIsAssumedBehind() {
        assertEquals(Optional.empty(), ReplicationLag.of(null, List.of(BASE), at(600)));
        assertEquals(Optional.of(Duration.ofSeconds(500)), lag(List.of(), at(600)), "errs high, never hides a stuck link");
    }

    @Test
    void aNewerSnapshotTakenInTheSameSecondAsTheBaseIsBehind() {
        SnapshotInfo sameSecond = new SnapshotInfo(SRC.snapshot("checkpoint"), new Guid(3), 101, BASE.created(), 100, 200);
        assertEquals(Optional.of(Duration.ofSeconds(500)), lag(List.of(BASE, sameSecond), at(600)),
                "newer by createtxg: the target lacks it although its creation time is the base's");
    }

    @Test
    void aNewerSnapshotStampedEarlierByAClockSteppedBackIsBehind() {
        SnapshotInfo stepped = new SnapshotInfo(SRC.snapshot("after-ntp-step"), new Guid(3), 101, at(90), 100, 200);
        assertEquals(Optional.of(Duration.ofSeconds(500)), lag(List.of(BASE, stepped), at(600)));
    }

    @Test
    void withTheBaseNotAmongTheSourceSnapshotsCreationTimeDecides() {
        // the base only a bookmark on the source now: what was created after it is lacking
        assertEquals(Optional.of(Duration.ofSeconds(500)), lag(List.of(NEWER), at(600)));
        assertEquals(Optional.of(Duration.ZERO), lag(List.of(src("older", 9, 50)), at(600)));
    }

    @Test
    void aBaseStampedAheadOfNowIsZeroNotNegative() {
        assertEquals(Optional.of(Duration.ZERO), lag(List.of(BASE, NEWER), at(40)));
    }

    @Test
    void theTargetLacksWhatIsNewerThanTheBaseByCreatetxg() {
        SnapshotInfo sameSecond = new SnapshotInfo(SRC.snapshot("checkpoint"), new Guid(3), 101, BASE.created(), 100, 200);
        assertEquals(List.of(sameSecond, NEWER), ReplicationLag.lacking(BASE_REF, List.of(BASE, sameSecond, NEWER)));
        assertEquals(List.of(), ReplicationLag.lacking(BASE_REF, List.of(src("older", 9, 50), BASE)));
    }
}
