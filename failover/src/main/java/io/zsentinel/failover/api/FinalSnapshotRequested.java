package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Switchover {@code failover}: take {@code snapshot} on the demoted (read-only) old primary {@code server}, the last of
 * its dataset before the standby takes over; agent command {@code commandId} (a TakeSnapshot).
 */
public record FinalSnapshotRequested(ServiceName service, FailoverId failover, ServerId server, SnapshotName snapshot,
                                     UUID commandId, Instant at) implements FailoverEvent {
    public FinalSnapshotRequested {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(at, "at");
    }
}
