package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.replication.api.DatasetCommand;
import io.zsentinel.replication.api.DatasetEvent;
import io.zsentinel.replication.api.ReconcileInventory;
import io.zsentinel.replication.api.RecordSnapshotTaken;
import io.zsentinel.replication.api.SnapshotHoldsChanged;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotRemoved;
import io.zsentinel.replication.api.SnapshotRenamed;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Facts about snapshots, idempotent by construction: a snapshot already recorded under its guid
 * yields no event, so duplicates and replays change nothing.
 */
final class InventoryRules {
    private InventoryRules() {
    }

    static void reconcile(DatasetState state, ReconcileInventory c, List<DatasetEvent> events) {
        if (state.registered() && c.observedAt().isBefore(state.lastInventoryAt())) {
            return; // a redelivered, older inventory: newer knowledge wins
        }
        Map<Guid, SnapshotInfo> reported = new HashMap<>();
        c.snapshots().forEach(s -> reported.put(s.guid(), s));
        c.snapshots().stream()
                .sorted(Comparator.comparingLong(SnapshotInfo::createtxg))
                .forEach(s -> record(state, s, c, c.observedAt(), events));
        state.snapshots().values().stream()
                .filter(known -> !reported.containsKey(known.guid()))
                .sorted(Comparator.comparingLong(SnapshotInfo::createtxg))
                .forEach(gone -> events.add(new SnapshotRemoved(c.id(), gone.name(), gone.guid(),
                        "missing from the inventory of " + c.observedAt(), c.observedAt())));
    }

    static void record(DatasetState state, SnapshotInfo s, DatasetCommand c, Instant observedAt,
                       List<DatasetEvent> events) {
        SnapshotInfo known = state.snapshots().get(s.guid());
        if (known == null) {
            events.add(new SnapshotRecorded(c.id(), s, c instanceof RecordSnapshotTaken t ? t.commandId() : null,
                    observedAt));
            return;
        }
        if (!known.name().equals(s.name())) {
            events.add(new SnapshotRenamed(c.id(), s.guid(), known.name(), s.name(), observedAt));
        }
        if (known.userRefs() != s.userRefs()) {
            events.add(new SnapshotHoldsChanged(c.id(), s.guid(), s.userRefs(), observedAt));
        }
    }
}
