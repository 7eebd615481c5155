package io.zsentinel.replication.api;

import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.UUID;

/** A per-file restore out of a snapshot was ordered. */
public record RestoreOrdered(DatasetId id, SnapshotName snapshot, String path, String targetDirectory, UUID commandId,
                             Instant at) implements DatasetEvent {
}
