package io.zsentinel.replication.api;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;

/** Same guid, new name: {@code zfs rename} keeps a snapshot's identity. */
public record SnapshotRenamed(DatasetId id, Guid guid, SnapshotName from, SnapshotName to, Instant observedAt)
        implements DatasetEvent {
}
