package io.zsentinel.replication.api;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.UUID;

/** zsentinel decided to destroy a snapshot and ordered it from the agent; {@code reason} says why. */
public record SnapshotPruned(DatasetId id, SnapshotName name, Guid guid, String reason, UUID commandId, Instant at)
        implements DatasetEvent {
}
