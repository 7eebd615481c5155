package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.detect.Evidence;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The controller declared {@code server} failed: what starts the failover of the services it is primary of.
 * {@code lastHeard}: its last heartbeat before the outage (its agent's clock), where the lease it may still hold
 * started to run out; null when it was not heard since the controller started (and in events stored before the
 * field existed).
 */
public record ServerDeclaredFailed(ServerId server, Set<Evidence> evidence, String reason, Instant at, Instant lastHeard)
        implements ServerEvent {
    public ServerDeclaredFailed(ServerId server, Set<Evidence> evidence, String reason, Instant at) {
        this(server, evidence, reason, at, null);
    }

    public ServerDeclaredFailed {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        evidence = evidence.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(evidence));
    }
}
