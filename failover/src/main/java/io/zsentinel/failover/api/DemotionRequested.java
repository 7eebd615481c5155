package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Make {@code server}'s copy of {@code dataset} a read-only replica of {@code service} at {@code generation} (a former
 * primary: it never serves again until an operator rejoins it); agent command {@code commandId}.
 */
public record DemotionRequested(ServiceName service, ServerId server, DatasetName dataset, long generation,
                                UUID commandId, Instant at) implements FailoverEvent {
    public DemotionRequested {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(at, "at");
    }
}
