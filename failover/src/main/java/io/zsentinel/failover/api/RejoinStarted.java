package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The rejoin of {@code server} to {@code service} as a replica of {@code newPrimary} at {@code generation} began, on
 * {@code by}'s order; {@code datasets}: what it found for each (the dry run's answer, kept for the record).
 */
public record RejoinStarted(ServiceName service, ServerId server, ServerId newPrimary, long generation,
                            List<RejoinPlan> datasets, OperatorOrder by, Instant at) implements RejoinEvent {
    public RejoinStarted {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(newPrimary, "newPrimary");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
        datasets = List.copyOf(datasets);
    }
}
