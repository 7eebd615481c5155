package io.zsentinel.failover.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/**
 * Time passes for a running failover of {@code service}: its lease wait may be over, or its deadline passed. Sent
 * by the controller's ticker; a service without a running failover ignores it.
 */
public record CheckFailover(@TargetAggregateIdentifier ServiceName service, Instant at) implements ServiceCommand {
    public CheckFailover {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(at, "at");
    }
}
