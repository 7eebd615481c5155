package io.zsentinel.replication.link;

import io.zsentinel.replication.api.link.LinkState;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static io.zsentinel.replication.api.link.LinkState.DIVERGED;
import static io.zsentinel.replication.api.link.LinkState.FAILING;
import static io.zsentinel.replication.api.link.LinkState.IN_SYNC;
import static io.zsentinel.replication.api.link.LinkState.LAGGING;
import static io.zsentinel.replication.api.link.LinkState.PAUSED;
import static io.zsentinel.replication.api.link.LinkState.TRANSFERRING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Walks the whole table: every legal transition succeeds, every other one throws. */
class LinkStateTest {
    static final Map<LinkState, Set<LinkState>> EXPECTED = Map.of(
            IN_SYNC, EnumSet.of(LAGGING, TRANSFERRING, DIVERGED, PAUSED),
            LAGGING, EnumSet.of(IN_SYNC, TRANSFERRING, DIVERGED, PAUSED),
            TRANSFERRING, EnumSet.of(IN_SYNC, FAILING, DIVERGED, PAUSED),
            FAILING, EnumSet.of(IN_SYNC, DIVERGED, PAUSED),
            DIVERGED, EnumSet.of(LAGGING, FAILING, PAUSED),
            PAUSED, EnumSet.of(LAGGING, TRANSFERRING, FAILING, DIVERGED));

    @Test
    void everyPairIsLegalExactlyWhenTheTableSaysSo() {
        for (LinkState from : LinkState.values()) {
            for (LinkState to : LinkState.values()) {
                if (EXPECTED.get(from).contains(to)) {
                    assertEquals(to, from.transitionTo(to));
                } else {
                    assertThrows(IllegalStateException.class, () -> from.transitionTo(to), from + " -> " + to);
                }
            }
        }
    }

    @Test
    void aDivergedLinkNeverReturnsToSyncWithoutPassingThroughAResolution() {
        assertEquals(false, DIVERGED.canBecome(IN_SYNC));
        assertEquals(false, DIVERGED.canBecome(TRANSFERRING));
    }

    @Test
    void labelsAreTheOperatorsWords() {
        assertEquals("in-sync", IN_SYNC.label());
        assertEquals("diverged", DIVERGED.label());
    }
}
