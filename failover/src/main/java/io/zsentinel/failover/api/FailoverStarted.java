package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A failover of {@code service} from {@code failedPrimary} to {@code to} began. {@code generation} is its fencing token
 * (the service's previous one plus one); {@code datasets} are promoted once the failed primary is fenced, by its fence
 * hook or when its lease has certainly lapsed ({@code leaseLapsesAt}); not serving by {@code deadline}, it is aborted.
 * {@code forced}: the operator's order, null when automatic.
 */
public record FailoverStarted(ServiceName service, FailoverId failover, ServerId failedPrimary, ServerId to,
                              long generation, List<DatasetPromotion> datasets, Instant leaseLapsesAt,
                              Instant deadline, OperatorOrder forced, Instant at) implements FailoverEvent {
    public FailoverStarted {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(failedPrimary, "failedPrimary");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(leaseLapsesAt, "leaseLapsesAt");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(at, "at");
        datasets = List.copyOf(datasets);
        if (generation < 2) {
            throw new IllegalArgumentException("a failover raises the generation above the first (1), not to " + generation);
        }
    }
}
