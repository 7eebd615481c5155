package io.zsentinel.failover.api;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;

/** Switchover {@code failover}: the final {@code snapshot} ({@code guid}) exists on the read-only old primary {@code server}. */
public record FinalSnapshotTaken(ServiceName service, FailoverId failover, ServerId server, SnapshotName snapshot,
                                 Guid guid, Instant at) implements FailoverEvent {
    public FinalSnapshotTaken {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(at, "at");
    }
}
