package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The controller first learned of {@code service} (controller.yaml): served by {@code primary} at {@code generation},
 * {@code standbys} in preference order. A later change of the configured primary does not move it: failovers and
 * switchovers do.
 */
public record ServiceRegistered(ServiceName service, ServerId primary, List<ServerId> standbys, long generation,
                                Instant at) implements FailoverEvent {
    public ServiceRegistered {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(at, "at");
        standbys = List.copyOf(standbys);
        if (generation < 1) {
            throw new IllegalArgumentException("a generation starts at 1, not " + generation);
        }
    }
}
