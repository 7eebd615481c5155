package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * No standby takes over {@code service} from {@code failedPrimary}: {@code reasons}, one per obstacle, say why and
 * what an operator can do (an alert goes out). {@code forced}: the operator's order that was refused, null for an
 * automatic failover.
 */
public record FailoverRefused(ServiceName service, ServerId failedPrimary, List<String> reasons, OperatorOrder forced,
                              Instant at) implements FailoverEvent {
    public FailoverRefused {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failedPrimary, "failedPrimary");
        Objects.requireNonNull(at, "at");
        reasons = List.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a refused failover says why");
        }
    }
}
