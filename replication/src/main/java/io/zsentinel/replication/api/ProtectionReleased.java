package io.zsentinel.replication.api;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

/** {@code holder} no longer protects the snapshot with {@code guid}. */
public record ProtectionReleased(DatasetId id, SnapshotName name, Guid guid, String holder) implements DatasetEvent {
}
