package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/** An operator's order to destroy {@code rescue}, divergent state a rejoin kept ({@code zsentinel rescue release}). */
public record ReleaseRescueOrder(@TargetAggregateIdentifier String rejoinId, DatasetName rescue, OperatorOrder by,
                                 Instant at) {
    public ReleaseRescueOrder {
        Objects.requireNonNull(rejoinId, "rejoinId");
        Objects.requireNonNull(rescue, "rescue");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }
}
