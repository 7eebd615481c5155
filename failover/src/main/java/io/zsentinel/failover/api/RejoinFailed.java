package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/**
 * The rejoin ended without completing: {@code server}'s agent refused {@code dataset}'s part ({@code reason}).
 * Nothing is destroyed by a failed rejoin; an operator may order it again.
 */
public record RejoinFailed(ServiceName service, ServerId server, DatasetName dataset, String reason, Instant at)
        implements RejoinEvent {
    public RejoinFailed {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
