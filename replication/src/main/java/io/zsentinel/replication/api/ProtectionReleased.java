package io.zsentinel.replication.api;

import io.zsentinel.core.values.Guid;

/** {@code holder} no longer protects the snapshot with {@code guid}. */
public record ProtectionReleased(DatasetId id, Guid guid, String holder) implements DatasetEvent {
}
