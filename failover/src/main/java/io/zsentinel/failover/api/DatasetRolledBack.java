package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;

/** {@code dataset} on {@code server} is back at {@code common}, a read-only replica; {@code detail}: its agent's words. */
public record DatasetRolledBack(ServiceName service, ServerId server, DatasetName dataset, SnapshotName common,
                                String detail, Instant at) implements RejoinEvent {
    public DatasetRolledBack {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? "" : detail;
    }
}
