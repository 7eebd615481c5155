package io.zsentinel.failover.api;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/**
 * The old primary's answer to a switchover's final snapshot: {@code snapshot} taken with {@code guid}
 * ({@code succeeded}), or refused ({@code guid} null), in {@code detail}.
 */
public record RecordFinalSnapshot(@TargetAggregateIdentifier ServiceName service, FailoverId failover,
                                  SnapshotName snapshot, Guid guid, boolean succeeded, String detail,
                                  Instant at) implements ServiceCommand {
    public RecordFinalSnapshot {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
        if (succeeded && guid == null) {
            throw new IllegalArgumentException("a final snapshot taken has a guid: " + snapshot);
        }
    }
}
