package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;

/**
 * Switchover {@code failover}: the final {@code snapshot} ({@code guid}) of {@code from} is to reach {@code to}'s
 * {@code copy}; the controller has it sent and answers once {@code to}'s inventory holds that guid.
 */
public record FinalSendRequested(ServiceName service, FailoverId failover, ServerId from, SnapshotName snapshot,
                                 Guid guid, ServerId to, DatasetName copy, Instant at) implements FailoverEvent {
    public FinalSendRequested {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(copy, "copy");
        Objects.requireNonNull(at, "at");
    }
}
