package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetEvent;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.ReconcileInventory;
import io.zsentinel.replication.api.RecordSnapshotGone;
import io.zsentinel.replication.api.RecordSnapshotTaken;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotRemoved;
import io.zsentinel.replication.api.SnapshotRenamed;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetDeciderTest {
    static final DatasetName DS = DatasetName.of("primary/vm1");
    static final DatasetId ID = new DatasetId(ServerId.of("primary"), DS);
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    static SnapshotInfo snap(String name, long guid, long txg) {
        return new SnapshotInfo(DS.snapshot(name), new Guid(guid), txg, T0.plusSeconds(txg), 100, 200);
    }

    static ReconcileInventory inventory(Instant at, SnapshotInfo... snapshots) {
        return new ReconcileInventory(ID, List.of(snapshots), at, UUID.randomUUID());
    }

    static DatasetState replay(List<DatasetEvent> events) {
        DatasetState s = DatasetState.initial(ID);
        for (DatasetEvent e : events) {
            s = DatasetDecider.evolve(s, e);
        }
        return s;
    }

    @Test
    void firstInventoryRegistersTheDatasetAndRecordsSnapshotsOldestFirst() {
        SnapshotInfo a = snap("a", 1, 10), b = snap("b", 2, 20);
        List<DatasetEvent> events = DatasetDecider.decide(DatasetState.initial(ID), inventory(T0, b, a));
        assertEquals(List.of(new DatasetRegistered(ID, T0), new SnapshotRecorded(ID, a, null, T0),
                new SnapshotRecorded(ID, b, null, T0)), events);
        DatasetState state = replay(events);
        assertTrue(state.registered());
        assertEquals(2, state.snapshots().size());
    }

    @Test
    void theSameInventoryTwiceChangesNothing() {
        SnapshotInfo a = snap("a", 1, 10);
        DatasetState state = replay(DatasetDecider.decide(DatasetState.initial(ID), inventory(T0, a)));
        assertEquals(List.of(), DatasetDecider.decide(state, inventory(T0.plusSeconds(5), a)));
    }

    @Test
    void identityIsTheGuidNotTheName() {
        SnapshotInfo a = snap("a", 1, 10);
        DatasetState state = replay(DatasetDecider.decide(DatasetState.initial(ID), inventory(T0, a)));
        // same name, new guid: the dataset was destroyed and recreated, or the snapshot re-taken
        SnapshotInfo again = snap("a", 99, 30);
        Instant t1 = T0.plusSeconds(60);
        assertEquals(List.of(new SnapshotRecorded(ID, again, null, t1),
                        new SnapshotRemoved(ID, a.name(), a.guid(), "missing from the inventory of " + t1, t1)),
                DatasetDecider.decide(state, inventory(t1, again)));
        // same guid, new name: a rename
        SnapshotInfo renamed = new SnapshotInfo(DS.snapshot("renamed"), a.guid(), 10, a.created(), 100, 200);
        assertEquals(List.of(new SnapshotRenamed(ID, a.guid(), a.name(), renamed.name(), t1)),
                DatasetDecider.decide(state, inventory(t1, renamed)));
    }

    @Test
    void anOlderRedeliveredInventoryDoesNotUndoNewerKnowledge() {
        SnapshotInfo a = snap("a", 1, 10), b = snap("b", 2, 20);
        DatasetState state = replay(DatasetDecider.decide(DatasetState.initial(ID), inventory(T0, a)));
        Instant t1 = T0.plusSeconds(60);
        List<DatasetEvent> events = DatasetDecider.decide(state, inventory(t1, a, b));
        state = replay(concat(DatasetDecider.decide(DatasetState.initial(ID), inventory(T0, a)), events));
        assertEquals(List.of(), DatasetDecider.decide(state, inventory(T0, a)));
    }

    @Test
    void singleFactsAreIdempotent() {
        SnapshotInfo a = snap("a", 1, 10);
        UUID cmd = UUID.randomUUID();
        DatasetState state = replay(DatasetDecider.decide(DatasetState.initial(ID), inventory(T0)));
        List<DatasetEvent> taken = DatasetDecider.decide(state, new RecordSnapshotTaken(ID, a, cmd, UUID.randomUUID()));
        assertEquals(List.of(new SnapshotRecorded(ID, a, cmd, a.created())), taken);
        state = replay(concat(DatasetDecider.decide(DatasetState.initial(ID), inventory(T0)), taken));
        assertEquals(List.of(), DatasetDecider.decide(state, new RecordSnapshotTaken(ID, a, cmd, UUID.randomUUID())));
        Instant t1 = T0.plusSeconds(99);
        RecordSnapshotGone gone = new RecordSnapshotGone(ID, a.name(), a.guid(), cmd, t1, UUID.randomUUID());
        List<DatasetEvent> removed = DatasetDecider.decide(state, gone);
        assertEquals(List.of(new SnapshotRemoved(ID, a.name(), a.guid(), "destroyed on command " + cmd, t1)), removed);
        DatasetState after = DatasetDecider.evolve(state, removed.get(0));
        assertEquals(List.of(), DatasetDecider.decide(after, gone));
    }

    private static List<DatasetEvent> concat(List<DatasetEvent> a, List<DatasetEvent> b) {
        List<DatasetEvent> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
