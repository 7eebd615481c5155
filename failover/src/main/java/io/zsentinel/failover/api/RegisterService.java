package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Make the service known at its configured primary and standbys (sent at every controller start; only the first
 * one records anything).
 */
public record RegisterService(@TargetAggregateIdentifier ServiceName service, ServerId primary,
                              List<ServerId> standbys, Instant at) implements ServiceCommand {
    public RegisterService {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(at, "at");
        standbys = List.copyOf(standbys);
    }
}
