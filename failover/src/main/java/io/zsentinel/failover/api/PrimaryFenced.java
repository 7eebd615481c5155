package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/**
 * The failed primary {@code server} can no longer write: its fence hook succeeded ({@code byLease} false) or its lease has
 * certainly lapsed, so its agent has demoted itself ({@code byLease} true). Promotion may begin.
 */
public record PrimaryFenced(ServiceName service, FailoverId failover, ServerId server, boolean byLease, String detail,
                            Instant at) implements FailoverEvent {
    public PrimaryFenced {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
