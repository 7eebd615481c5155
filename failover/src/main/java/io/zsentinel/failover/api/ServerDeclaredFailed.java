package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.detect.Evidence;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** The controller declared {@code server} failed: what starts the failover of the services it is primary of. */
public record ServerDeclaredFailed(ServerId server, Set<Evidence> evidence, String reason, Instant at) implements ServerEvent {
    public ServerDeclaredFailed {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        evidence = evidence.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(evidence));
    }
}
