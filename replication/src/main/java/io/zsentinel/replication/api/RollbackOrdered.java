package io.zsentinel.replication.api;

import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A rollback was ordered; {@code destroyed} lists the newer snapshots it will destroy. */
public record RollbackOrdered(DatasetId id, SnapshotName snapshot, boolean destroyNewer, List<SnapshotName> destroyed,
                              UUID commandId, Instant at) implements DatasetEvent {
    public RollbackOrdered {
        destroyed = List.copyOf(destroyed);
    }
}
