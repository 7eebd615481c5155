package io.zsentinel.replication.api;

import io.zsentinel.core.values.Guid;

import java.time.Instant;

/** The number of holds ({@code zfs hold}, any tag) on a snapshot changed; a held snapshot is never pruned. */
public record SnapshotHoldsChanged(DatasetId id, Guid guid, long userRefs, Instant observedAt) implements DatasetEvent {
}
