package io.zsentinel.replication.api;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;

/** The checkpoint is an ordinary snapshot again (count rules and capacity pruning apply). */
public record CheckpointReleased(DatasetId id, SnapshotName snapshot, Guid guid, Instant at) implements DatasetEvent {
}
