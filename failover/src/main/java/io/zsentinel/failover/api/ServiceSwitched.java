package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * {@code service} is served by {@code to} at {@code generation}, no longer by {@code from}: failover {@code failover} is
 * done; {@code datasets} are named as on {@code from} (each promotion's {@code primaryDataset}). Automatic failover of
 * the service stays blocked until an operator acknowledges it.
 */
public record ServiceSwitched(ServiceName service, FailoverId failover, ServerId from, ServerId to, long generation,
                              List<DatasetName> datasets, Instant at) implements FailoverEvent {
    public ServiceSwitched {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
        datasets = List.copyOf(datasets);
    }
}
