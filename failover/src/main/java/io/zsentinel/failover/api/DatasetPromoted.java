package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code server}'s copy of {@code dataset} is the writable primary of {@code service} at the failover's generation
 * ({@code detail}: the agent's words).
 */
public record DatasetPromoted(ServiceName service, FailoverId failover, ServerId server, DatasetName dataset,
                              UUID commandId, String detail, Instant at) implements FailoverEvent {
    public DatasetPromoted {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
