package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The agent of {@code server} could not promote {@code dataset} (try {@code attempt}): {@code detail}. Tried again while
 * tries remain, else the failover is aborted.
 */
public record PromotionFailed(ServiceName service, FailoverId failover, ServerId server, DatasetName dataset,
                              UUID commandId, int attempt, String detail, Instant at) implements FailoverEvent {
    public PromotionFailed {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
