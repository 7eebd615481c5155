package io.zsentinel.replication.api;

import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.retention.SnapshotClass;

import java.time.Instant;
import java.util.UUID;

/** A snapshot of {@code klass} for {@code slot} is due and was ordered from the agent. */
public record SnapshotScheduled(DatasetId id, SnapshotClass klass, Instant slot, SnapshotName name, UUID commandId,
                                Instant at) implements DatasetEvent {
}
