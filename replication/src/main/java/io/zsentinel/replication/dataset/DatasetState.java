package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.replication.api.DatasetId;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What zsentinel knows of one dataset: its snapshots keyed by guid, and the observation time of the
 * last inventory applied (an older, redelivered inventory must not undo newer knowledge).
 */
public record DatasetState(DatasetId id, boolean registered, Map<Guid, SnapshotInfo> snapshots,
                           Instant lastInventoryAt) {
    public DatasetState {
        snapshots = Collections.unmodifiableMap(new LinkedHashMap<>(snapshots));
    }

    public static DatasetState initial(DatasetId id) {
        return new DatasetState(id, false, Map.of(), Instant.EPOCH);
    }

    public Optional<SnapshotInfo> snapshot(Guid guid) {
        return Optional.ofNullable(snapshots.get(guid));
    }

    DatasetState registeredNow() {
        return new DatasetState(id, true, snapshots, lastInventoryAt);
    }

    DatasetState with(SnapshotInfo snapshot) {
        Map<Guid, SnapshotInfo> copy = new LinkedHashMap<>(snapshots);
        copy.put(snapshot.guid(), snapshot);
        return new DatasetState(id, registered, copy, lastInventoryAt);
    }

    DatasetState without(Guid guid) {
        Map<Guid, SnapshotInfo> copy = new LinkedHashMap<>(snapshots);
        copy.remove(guid);
        return new DatasetState(id, registered, copy, lastInventoryAt);
    }

    DatasetState observedAt(Instant at) {
        return at.isAfter(lastInventoryAt) ? new DatasetState(id, registered, snapshots, at) : this;
    }
}
