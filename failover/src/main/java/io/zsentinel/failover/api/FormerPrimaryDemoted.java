package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code server}'s copy of {@code dataset} is a read-only replica at the service's generation: the agent carried out
 * {@code commandId} ({@code detail}).
 */
public record FormerPrimaryDemoted(ServiceName service, ServerId server, DatasetName dataset, UUID commandId,
                                   String detail, Instant at) implements FailoverEvent {
    public FormerPrimaryDemoted {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
