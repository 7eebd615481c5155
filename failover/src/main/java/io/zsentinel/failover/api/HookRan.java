package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code service}'s {@code kind} hook about {@code server} ran: {@code succeeded}, and {@code detail} (exit status, time and
 * the start of its output, or why it could not run; "no fence hook configured" when there is none).
 */
public record HookRan(ServiceName service, FailoverId failover, HookKind kind, ServerId server, boolean succeeded,
                      String detail, Instant at) implements FailoverEvent {
    public HookRan {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
