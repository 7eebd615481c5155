package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/**
 * The controller is to run {@code service}'s {@code kind} hook about {@code server}, at {@code generation}, for failover
 * {@code failover} (null for a demotion outside one).
 */
public record HookRequested(ServiceName service, FailoverId failover, HookKind kind, ServerId server, long generation,
                            Instant at) implements FailoverEvent {
    public HookRequested {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(at, "at");
    }
}
