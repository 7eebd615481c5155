package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Objects;

/** A pool health report; an event only when the pool's health, capacity or error counts changed. */
public record RecordPoolHealth(@TargetAggregateIdentifier ServerId server, PoolCondition condition)
        implements ServerCommand {
    public RecordPoolHealth {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(condition, "condition");
    }
}
