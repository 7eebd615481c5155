package io.zsentinel.replication.retention;

import io.zsentinel.core.values.Guid;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a lagging link holds back: per link, how many expired snapshots, since when, and the bound. */
class HeldForReplicasTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    /** Frequent every 5 minutes, 5 kept (the lab's shape). */
    private static final RetentionPolicy KEEP_5 = RetentionPolicy.defaults()
            .withOnlyKeep(Map.of(SnapshotClass.FREQUENTLY, 5)).withFrequentlyEvery(Duration.ofMinutes(5));

    /** Frequent snapshots 0..n-1, five minutes apart; guid i + 1, createtxg 100 + i. */
    private static List<RetainedSnapshot> frequent(int n) {
        List<RetainedSnapshot> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(Snapshots.snap(SnapshotNaming.name(SnapshotClass.FREQUENTLY, slot(i)), i + 1, 100 + i));
        }
        return list;
    }

    private static Instant slot(int i) {
        return T0.plus(Duration.ofMinutes(5L * i));
    }

    @Test
    void aLinkBehindHoldsTheExpiredSnapshotsNewerThanItsBaseSinceTheFirstOneExpired() {
        // 14 snapshots, 5 kept: 0..8 expired. Standby has #12 (holds nothing), offsite diverged at #2.
        List<RetainedSnapshot> snaps = frequent(14);
        List<HeldForReplicas.Hold> holds = HeldForReplicas.holds(KEEP_5, snaps,
                Map.of("standby", new Guid(13), "offsite", new Guid(3)), Set.of());
        assertEquals(1, holds.size(), holds.toString());
        HeldForReplicas.Hold offsite = holds.get(0);
        assertEquals("offsite", offsite.holder());
        assertEquals(new Guid(3), offsite.base().guid());
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L, 9L), offsite.snapshots().stream().map(s -> s.guid().bits()).toList());
        // #3 (guid 4) went past the count when #8 was taken
        assertEquals(slot(8), offsite.since());
    }

    @Test
    void heldAndCheckpointedSnapshotsAreNotBlamedOnALink() {
        List<HeldForReplicas.Hold> holds = HeldForReplicas.holds(KEEP_5, frequent(14),
                Map.of("offsite", new Guid(3)), Set.of(new Guid(4)));
        assertEquals(5, holds.get(0).snapshots().size());
    }

    @Test
    void theBoundKeepsTheNewestHeldAndNamesTheOldestBeyondIt() {
        List<RetainedSnapshot> snaps = frequent(14);
        List<HeldForReplicas.Hold> holds = HeldForReplicas.holds(KEEP_5.withMaxHeldForReplicas(2), snaps,
                Map.of("a", new Guid(3), "b", new Guid(6)), Set.of());
        assertEquals(List.of("a", "b"), holds.stream().map(HeldForReplicas.Hold::holder).toList());
        // a holds #3..#8 but b's base #5, b holds #6..#8: 5 in all, the newest 2 stay
        List<RetainedSnapshot> beyond = HeldForReplicas.beyondLimit(KEEP_5.withMaxHeldForReplicas(2), holds);
        assertEquals(List.of(4L, 5L, 7L), beyond.stream().map(s -> s.guid().bits()).toList());
        assertTrue(beyond.stream().noneMatch(s -> s.guid().equals(new Guid(3)) || s.guid().equals(new Guid(6))),
                "never a link's base");
    }

    @Test
    void noLinkBehindHoldsNothing() {
        assertEquals(List.of(), HeldForReplicas.holds(KEEP_5, frequent(14), Map.of("standby", new Guid(14)), Set.of()));
        assertEquals(List.of(), HeldForReplicas.holds(KEEP_5, frequent(4), Map.of("offsite", new Guid(1)), Set.of()));
    }
}
