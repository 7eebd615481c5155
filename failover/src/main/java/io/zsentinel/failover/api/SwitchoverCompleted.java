package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/**
 * Switchover {@code failover} is done: {@code to} serves {@code service} at {@code generation} with every byte {@code from}
 * held at its demotion; {@code from}, read-only, is to rejoin quietly (receive from {@code to}). Automatic failover
 * stays armed: a planned switch blocks nothing.
 */
public record SwitchoverCompleted(ServiceName service, FailoverId failover, ServerId from, ServerId to, long generation,
                                  OperatorOrder by, Instant at) implements FailoverEvent {
    public SwitchoverCompleted {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }
}
