package io.zsentinel.replication.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.replication.api.CheckpointOrdered;
import io.zsentinel.replication.api.DatasetEvent;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.api.RetentionPolicyChanged;
import io.zsentinel.replication.api.SnapshotProtected;
import io.zsentinel.replication.api.SnapshotPruned;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotRemoved;
import io.zsentinel.replication.api.SnapshotScheduled;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;
import io.zsentinel.replication.retention.SnapshotNaming;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.zsentinel.replication.dataset.DatasetDeciderTest.DS;
import static io.zsentinel.replication.dataset.DatasetDeciderTest.ID;
import static io.zsentinel.replication.dataset.DatasetDeciderTest.T0;
import static io.zsentinel.replication.dataset.DatasetDeciderTest.inventory;
import static io.zsentinel.replication.dataset.DatasetDeciderTest.snap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dataset state at scale: folded in place, never changing under a holder, and its JSON (Axon's snapshots). */
class DatasetEvolutionTest {

    /** Daily snapshots named as zsentinel names them, so the fold also tracks the slots taken. */
    static SnapshotInfo daily(int day) {
        Instant slot = T0.plus(Duration.ofDays(day));
        return new SnapshotInfo(DS.snapshot(SnapshotNaming.name(SnapshotClass.DAILY, slot)), new Guid(1_000_000L + day),
                10L + day, slot, 100, 200);
    }

    @Test
    void aFirstInventoryOfTenThousandSnapshotsIsDecidedAndFoldedInOnePass() {
        List<SnapshotInfo> all = new ArrayList<>();
        for (int day = 0; day < 10_000; day++) {
            all.add(daily(day));
        }
        var events = DatasetDecider.decide(DatasetState.initial(ID), inventory(T0, all.toArray(SnapshotInfo[]::new)));
        assertEquals(10_001, events.size()); // registered + one recorded per snapshot

        DatasetState state = DatasetDecider.evolve(DatasetState.initial(ID), events);

        assertTrue(state.registered());
        assertEquals(10_000, state.snapshots().size());
        assertEquals(all, state.snapshotsOldestFirst());
        assertEquals(all.get(9_999).created(), state.lastSlots().get(SnapshotClass.DAILY));
        // the same inventory again changes nothing: the fold is complete
        assertEquals(List.of(), DatasetDecider.decide(state, inventory(T0.plusSeconds(1), all.toArray(SnapshotInfo[]::new))));
    }

    @Test
    void aHistoryFoldedInOnePassEqualsTheSameHistoryOneEventAtATime() {
        List<DatasetEvent> history = new ArrayList<>(mixedHistory(2_000));
        DatasetState stepByStep = DatasetState.initial(ID);
        for (DatasetEvent e : history) {
            stepByStep = DatasetDecider.evolve(stepByStep, e);
        }
        assertEquals(stepByStep, DatasetDecider.evolve(DatasetState.initial(ID), history));
        assertEquals(1_000, stepByStep.snapshots().size()); // every other one removed
        assertTrue(stepByStep.pending().isEmpty()); // the removals settled the prunes
    }

    @Test
    void anEventThatDoesNotTouchTheSnapshotsSharesThemInsteadOfCopyingThem() {
        DatasetState before = DatasetDeciderTest.replay(mixedHistory(100));
        DatasetState after = DatasetDecider.evolve(before, new RetentionPolicyChanged(ID, RetentionPolicy.defaults(), T0));
        assertTrue(before.snapshots() == after.snapshots(), "the 50 snapshots were copied for a policy change");
        assertTrue(before.pending() == after.pending(), "the pending commands were copied for a policy change");
        assertTrue(before.protections() == after.protections(), "the protections were copied for a policy change");
        assertNotEquals(before, after);
    }

    @Test
    void aStateHandedOutNeverChangesUnderItsHolder() {
        SnapshotInfo a = snap("a", 1, 10), b = snap("b", 2, 20);
        DatasetEvolution evolution = new DatasetEvolution(DatasetState.initial(ID));
        evolution.apply(new SnapshotRecorded(ID, a, null, T0));
        DatasetState handedOut = evolution.state();
        DatasetState copy = new DatasetState(handedOut.id(), handedOut.registered(), Map.copyOf(handedOut.snapshots()),
                handedOut.lastInventoryAt(), handedOut.policy(), handedOut.lastSlots(), handedOut.pending(),
                handedOut.checkpoints(), handedOut.protections());

        evolution.apply(new SnapshotRecorded(ID, b, null, T0.plusSeconds(1)));
        evolution.apply(new SnapshotProtected(ID, a.name(), a.guid(), "link-1", ProtectionKind.BASE));
        evolution.apply(new CheckpointOrdered(ID, DS.snapshot("zsentinel_checkpoint_x"), UUID.randomUUID(), T0));
        evolution.apply(new SnapshotRemoved(ID, a.name(), a.guid(), "gone", T0.plusSeconds(2)));

        assertEquals(copy, handedOut);
        assertEquals(1, handedOut.snapshots().size());
        assertEquals(List.of(b), evolution.state().snapshotsOldestFirst());
        assertEquals(1, evolution.state().pending().size());
        assertThrows(UnsupportedOperationException.class, () -> handedOut.snapshots().remove(a.guid()));
        assertThrows(UnsupportedOperationException.class, () -> handedOut.checkpoints().add(a.name()));
    }

    @Test
    void theAggregateHandsOutStatesThatItsNextCommandsDoNotChange() {
        DatasetAggregate aggregate = new DatasetAggregate();
        mixedHistory(10).forEach(aggregate::on);
        DatasetState before = aggregate.state();
        DatasetState copy = DatasetDecider.evolve(DatasetState.initial(ID), mixedHistory(10));
        aggregate.on(new SnapshotRecorded(ID, snap("late", 99, 999), null, T0.plusSeconds(99)));
        assertEquals(copy, before);
        assertFalse(before.snapshot(new Guid(99)).isPresent());
        assertTrue(aggregate.state().snapshot(new Guid(99)).isPresent());
    }

    @Test
    void theAggregateRoundTripsThroughTheProjectsJsonAsAxonSnapshotsIt() throws Exception {
        DatasetAggregate aggregate = new DatasetAggregate();
        mixedHistory(50).forEach(aggregate::on);
        aggregate.on(new RetentionPolicyChanged(ID, RetentionPolicy.defaults(), T0));
        aggregate.on(new CheckpointOrdered(ID, DS.snapshot("zsentinel_checkpoint_y"), UUID.randomUUID(), T0));
        DatasetState state = aggregate.state();
        assertFalse(state.protections().isEmpty());
        assertFalse(state.lastSlots().isEmpty());
        assertFalse(state.pending().isEmpty());
        assertFalse(state.checkpoints().isEmpty());

        ObjectMapper json = Json.newMapper();
        String written = json.writeValueAsString(aggregate);
        DatasetAggregate read = json.readValue(written, DatasetAggregate.class);

        assertEquals(state, read.state());
        assertEquals(written, json.writeValueAsString(read));
        assertTrue(written.startsWith("{\"id\":\"" + ID + "\",\"state\":{"), written);
    }

    /**
     * n recorded daily snapshots; every other one protected, then pruned and removed; slot
     * scheduling on the way.
     */
    static List<DatasetEvent> mixedHistory(int n) {
        List<DatasetEvent> events = new ArrayList<>();
        events.add(new DatasetRegistered(ID, T0));
        for (int day = 0; day < n; day++) {
            SnapshotInfo s = daily(day);
            UUID take = UUID.randomUUID();
            events.add(new SnapshotScheduled(ID, SnapshotClass.DAILY, s.created(), s.name(), take, s.created()));
            events.add(new SnapshotRecorded(ID, s, take, s.created()));
            if (day % 2 == 1) {
                SnapshotInfo older = daily(day - 1);
                UUID destroy = UUID.randomUUID();
                events.add(new SnapshotProtected(ID, s.name(), s.guid(), "link-" + day % 3, ProtectionKind.BASE));
                events.add(new SnapshotPruned(ID, older.name(), older.guid(), "test",
                        destroy, s.created()));
                events.add(new SnapshotRemoved(ID, older.name(), older.guid(), "pruned", s.created()));
            }
        }
        return events;
    }
}
