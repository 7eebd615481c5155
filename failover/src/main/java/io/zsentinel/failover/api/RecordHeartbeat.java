package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/** An agent heartbeat reached the controller. Only the first one is an event; liveness is tracked in memory. */
public record RecordHeartbeat(@TargetAggregateIdentifier ServerId server, long epoch, Instant at)
        implements ServerCommand {
    public RecordHeartbeat {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(at, "at");
    }
}
