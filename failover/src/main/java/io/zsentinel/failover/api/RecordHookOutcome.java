package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/**
 * How a hook requested by {@link HookRequested} ran.
 */
public record RecordHookOutcome(@TargetAggregateIdentifier ServiceName service, FailoverId failover, HookKind kind,
                                ServerId server, boolean succeeded, String detail, Instant at) implements ServiceCommand {
    public RecordHookOutcome {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
