package io.zsentinel.failover.api;


import java.time.Instant;
import java.util.Objects;

/**
 * An operator acknowledged the last failover of {@code service} ({@code zsentinel failover ack}): automatic failover
 * is armed again (audited).
 */
public record FailoverAcknowledged(ServiceName service, OperatorOrder by, Instant at) implements FailoverEvent {
    public FailoverAcknowledged {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }
}
