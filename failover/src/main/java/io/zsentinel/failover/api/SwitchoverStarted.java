package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A planned switchover of {@code service} from {@code from} to {@code to} began, ordered {@code by} an operator, at
 * fencing token {@code generation} (the service's previous one plus one). {@code datasets}: each dataset's copy on
 * {@code to}, promoted once the final snapshot ({@code rollbackTo}) is there; not serving by {@code deadline}, it is
 * aborted.
 */
public record SwitchoverStarted(ServiceName service, FailoverId failover, ServerId from, ServerId to, long generation,
                                List<DatasetPromotion> datasets, Instant deadline, OperatorOrder by,
                                Instant at) implements FailoverEvent {
    public SwitchoverStarted {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
        datasets = List.copyOf(datasets);
        if (generation < 2) {
            throw new IllegalArgumentException("a switchover raises the generation above the first (1), not to " + generation);
        }
    }
}
