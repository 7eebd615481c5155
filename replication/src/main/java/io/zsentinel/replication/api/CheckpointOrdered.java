package io.zsentinel.replication.api;

import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.UUID;

/** A checkpoint snapshot was ordered from the agent; it is protected from pruning until released. */
public record CheckpointOrdered(DatasetId id, SnapshotName snapshot, UUID commandId, Instant at) implements DatasetEvent {
}
