package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/** An operator put {@code server} in maintenance mode ({@code on}) or took it out, and why (audited). */
public record MaintenanceModeChanged(ServerId server, boolean on, OperatorOrder by, Instant at) implements ServerEvent {
    public MaintenanceModeChanged {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }
}
