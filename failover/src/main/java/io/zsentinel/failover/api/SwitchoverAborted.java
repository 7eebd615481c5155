package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/**
 * Switchover {@code failover} of {@code service} ended without switching, at {@code step} ({@code reason}).
 * {@code servedBy}: the old primary, promoted back at {@code generation} (a new token) and serving again; null when the
 * standby's promotion had begun, so nothing is promoted back and the service is blocked until an operator looks.
 */
public record SwitchoverAborted(ServiceName service, FailoverId failover, FailoverStep step, String reason,
                                ServerId servedBy, long generation, Instant at) implements FailoverEvent {
    public SwitchoverAborted {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
