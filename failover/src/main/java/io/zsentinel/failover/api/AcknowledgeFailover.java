package io.zsentinel.failover.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code zsentinel failover ack <service>}: the operator has looked at the last failover; automatic failover is
 * armed again. Refused while a failover runs or when nothing is blocked.
 */
public record AcknowledgeFailover(@TargetAggregateIdentifier ServiceName service, OperatorOrder by, Instant at) implements ServiceCommand {
    public AcknowledgeFailover {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }
}
