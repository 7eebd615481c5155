package io.zsentinel.replication.api;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

/** {@code holder} now protects the snapshot with {@code guid}. */
public record SnapshotProtected(DatasetId id, SnapshotName name, Guid guid, String holder, ProtectionKind kind)
        implements DatasetEvent {
}
