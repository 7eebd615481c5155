package io.zsentinel.replication.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.replication.api.link.SnapshotRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.zsentinel.replication.link.ReplicationPlannerTest.T0;
import static io.zsentinel.replication.link.ReplicationPlannerTest.src;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lagging means behind by more than the link's own schedule allows: its interval plus an allowance. */
class LaggingRuleTest {
    private static final Duration FIFTEEN_MINUTES = Duration.ofMinutes(15);
    // src(name, guid, txg): created at T0 + txg seconds
    private static final SnapshotInfo BASE = src("base", 1, 100);
    private static final SnapshotInfo NEXT = src("next", 2, 160);
    private static final SnapshotInfo NEWEST = src("newest", 3, 1000);

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static boolean lagging(List<SnapshotInfo> source, Duration interval, Instant now) {
        return LaggingRule.lagging(SnapshotRef.of(BASE), source, interval, now);
    }

    @Test
    void theAllowanceIsHalfTheIntervalAndAtLeastAMinute() {
        assertEquals(Duration.ofSeconds(450), LaggingRule.allowance(FIFTEEN_MINUTES));
        assertEquals(Duration.ofHours(12), LaggingRule.allowance(Duration.ofDays(1)));
        assertEquals(Duration.ofMinutes(1), LaggingRule.allowance(Duration.ofMinutes(1)));
        assertEquals(Duration.ofMinutes(1), LaggingRule.allowance(Duration.ofSeconds(10)));
    }

    @Test
    void aSnapshotWaitingWithinTheIntervalPlusTheAllowanceIsNotLagging() {
        List<SnapshotInfo> source = List.of(BASE, NEXT, NEWEST);
        // NEXT (created at 160) is the oldest the target lacks: lagging strictly after 160 + 900 + 450
        assertFalse(lagging(source, FIFTEEN_MINUTES, at(160 + 900)), "a whole interval behind is the schedule");
        assertFalse(lagging(source, FIFTEEN_MINUTES, at(160 + 1350)));
        assertTrue(lagging(source, FIFTEEN_MINUTES, at(160 + 1351)));
    }

    @Test
    void theWaitStartsAtTheOldestMissingSnapshotNotAtTheBase() {
        // snapshots once a day, a link every 10 minutes: the new one is 10 minutes old when it is sent, in sync
        SnapshotInfo today = src("today", 4, 100 + 86_400);
        Duration tenMinutes = Duration.ofMinutes(10);
        assertFalse(lagging(List.of(BASE, today), tenMinutes, at(100 + 86_400 + 600)));
        assertTrue(lagging(List.of(BASE, today), tenMinutes, at(100 + 86_400 + 901)));
    }

    @Test
    void aTargetThatLacksNothingIsNeverLaggingAndNothingReplicatedAlwaysIs() {
        assertFalse(lagging(List.of(BASE), FIFTEEN_MINUTES, at(1_000_000)), "up to date, however old the base");
        assertTrue(LaggingRule.lagging(null, List.of(BASE), FIFTEEN_MINUTES, at(100)), "no base: nothing replicated");
    }

    @Test
    void aBaseKeptOnlyAsABookmarkIsPlacedByItsCreationTime() {
        // the base snapshot was pruned on the source (OpenZFS keeps a bookmark): NEXT and NEWEST are newer by time
        List<SnapshotInfo> source = List.of(NEXT, NEWEST);
        assertFalse(lagging(source, FIFTEEN_MINUTES, at(160 + 1350)));
        assertTrue(lagging(source, FIFTEEN_MINUTES, at(160 + 1351)));
    }
}
