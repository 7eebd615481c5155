package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Promote {@code dataset} on {@code server} to the writable primary of {@code service} at {@code generation}, after a
 * rollback to {@code rollbackTo} (null: as it is); agent command {@code commandId}, try {@code attempt} (1 first).
 */
public record PromotionRequested(ServiceName service, FailoverId failover, ServerId server, DatasetName dataset,
                                 long generation, SnapshotName rollbackTo, UUID commandId, int attempt, Instant at) implements FailoverEvent {
    public PromotionRequested {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(at, "at");
    }
}
