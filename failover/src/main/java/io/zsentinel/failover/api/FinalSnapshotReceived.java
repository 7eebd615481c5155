package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/** Switchover {@code failover}: {@code server} holds the final snapshot of {@code dataset} (named as on the old primary). */
public record FinalSnapshotReceived(ServiceName service, FailoverId failover, ServerId server, DatasetName dataset,
                                    String detail, Instant at) implements FailoverEvent {
    public FinalSnapshotReceived {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
