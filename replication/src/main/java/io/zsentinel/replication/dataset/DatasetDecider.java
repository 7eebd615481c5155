package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.replication.api.DatasetCommand;
import io.zsentinel.replication.api.DatasetEvent;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.ReconcileInventory;
import io.zsentinel.replication.api.RecordSnapshotGone;
import io.zsentinel.replication.api.RecordSnapshotTaken;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotRemoved;
import io.zsentinel.replication.api.SnapshotRenamed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Dataset rules as plain functions. Facts are idempotent by construction: a snapshot already
 * recorded under its guid yields no event, so duplicates and replays change nothing.
 */
public final class DatasetDecider {
    private DatasetDecider() {
    }

    public static List<DatasetEvent> decide(DatasetState state, DatasetCommand command) {
        List<DatasetEvent> events = new ArrayList<>();
        if (!state.registered()) {
            events.add(new DatasetRegistered(command.id(), observedAt(command)));
        }
        if (command instanceof ReconcileInventory c) {
            reconcile(state, c, events);
        } else if (command instanceof RecordSnapshotTaken c) {
            record(state, c.snapshot(), c, events);
        } else if (command instanceof RecordSnapshotGone c) {
            if (state.snapshot(c.guid()).isPresent()) {
                events.add(new SnapshotRemoved(c.id(), c.name(), c.guid(),
                        c.commandId() == null ? "destroyed outside zsentinel" : "destroyed on command " + c.commandId(),
                        c.at()));
            }
        } else {
            throw new IllegalArgumentException("unknown dataset command " + command.getClass().getName());
        }
        return events;
    }

    public static DatasetState evolve(DatasetState state, DatasetEvent event) {
        if (event instanceof DatasetRegistered) {
            return state.registeredNow();
        }
        if (event instanceof SnapshotRecorded e) {
            return state.with(e.snapshot()).observedAt(e.observedAt());
        }
        if (event instanceof SnapshotRenamed e) {
            return state.snapshot(e.guid())
                    .map(s -> state.with(new SnapshotInfo(e.to(), s.guid(), s.createtxg(), s.created(),
                            s.usedBytes(), s.referencedBytes())))
                    .orElse(state)
                    .observedAt(e.observedAt());
        }
        if (event instanceof SnapshotRemoved e) {
            return state.without(e.guid()).observedAt(e.at());
        }
        throw new IllegalArgumentException("unknown dataset event " + event.getClass().getName());
    }

    private static void reconcile(DatasetState state, ReconcileInventory c, List<DatasetEvent> events) {
        if (state.registered() && c.observedAt().isBefore(state.lastInventoryAt())) {
            return; // a redelivered, older inventory: newer knowledge wins
        }
        Map<Guid, SnapshotInfo> reported = new HashMap<>();
        c.snapshots().forEach(s -> reported.put(s.guid(), s));
        c.snapshots().stream()
                .sorted(Comparator.comparingLong(SnapshotInfo::createtxg))
                .forEach(s -> record(state, s, c, events));
        state.snapshots().values().stream()
                .filter(known -> !reported.containsKey(known.guid()))
                .sorted(Comparator.comparingLong(SnapshotInfo::createtxg))
                .forEach(gone -> events.add(new SnapshotRemoved(c.id(), gone.name(), gone.guid(),
                        "missing from the inventory of " + c.observedAt(), c.observedAt())));
    }

    private static void record(DatasetState state, SnapshotInfo s, DatasetCommand c, List<DatasetEvent> events) {
        SnapshotInfo known = state.snapshots().get(s.guid());
        if (known == null) {
            events.add(new SnapshotRecorded(c.id(), s, c instanceof RecordSnapshotTaken t ? t.commandId() : null,
                    observedAt(c)));
        } else if (!known.name().equals(s.name())) {
            events.add(new SnapshotRenamed(c.id(), s.guid(), known.name(), s.name(), observedAt(c)));
        }
    }

    private static Instant observedAt(DatasetCommand command) {
        if (command instanceof ReconcileInventory c) {
            return c.observedAt();
        }
        if (command instanceof RecordSnapshotGone c) {
            return c.at();
        }
        return ((RecordSnapshotTaken) command).snapshot().created();
    }
}
