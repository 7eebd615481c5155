package io.zsentinel.replication.api;

import io.zsentinel.core.messages.facts.SnapshotInfo;

import java.time.Instant;
import java.util.UUID;

/** A snapshot (identified by its guid) now exists on the dataset; {@code commandId} if zsentinel took it. */
public record SnapshotRecorded(DatasetId id, SnapshotInfo snapshot, UUID commandId, Instant observedAt)
        implements DatasetEvent {
}
