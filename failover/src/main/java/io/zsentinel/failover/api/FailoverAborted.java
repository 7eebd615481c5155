package io.zsentinel.failover.api;


import java.time.Instant;
import java.util.Objects;

/**
 * Failover {@code failover} of {@code service} ended without switching, stuck at {@code step} ({@code reason}); the
 * service is blocked until an operator acknowledges it or forces a failover.
 */
public record FailoverAborted(ServiceName service, FailoverId failover, FailoverStep step, String reason, Instant at) implements FailoverEvent {
    public FailoverAborted {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
