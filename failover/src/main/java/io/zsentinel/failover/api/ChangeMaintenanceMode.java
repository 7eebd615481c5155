package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/** {@code zsentinel maintenance on|off <server> --reason …}: while on, no service fails over away from it automatically. */
public record ChangeMaintenanceMode(@TargetAggregateIdentifier ServerId server, boolean on, OperatorOrder by, Instant at)
        implements ServerCommand {
    public ChangeMaintenanceMode {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }
}
