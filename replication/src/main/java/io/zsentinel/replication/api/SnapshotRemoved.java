package io.zsentinel.replication.api;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;

/** A recorded snapshot no longer exists; {@code reason} says how it went. */
public record SnapshotRemoved(DatasetId id, SnapshotName name, Guid guid, String reason, Instant at)
        implements DatasetEvent {
}
