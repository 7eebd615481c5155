package io.zsentinel.replication.api;

import io.zsentinel.core.values.Guid;

/** {@code holder} now protects the snapshot with {@code guid}. */
public record SnapshotProtected(DatasetId id, Guid guid, String holder, ProtectionKind kind) implements DatasetEvent {
}
