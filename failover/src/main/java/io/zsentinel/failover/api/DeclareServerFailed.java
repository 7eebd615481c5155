package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.detect.Evidence;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The failure detector found {@code server} failed (its verdict's evidence and reason): record it, once per outage.
 * {@code lastHeard}: its last heartbeat (its agent's clock), null when not heard since the controller started; the
 * failover's lease reckoning starts there, and a later declaration with a newer one is a new outage.
 */
public record DeclareServerFailed(@TargetAggregateIdentifier ServerId server, Set<Evidence> evidence, String reason,
                                  Instant at, Instant lastHeard) implements ServerCommand {
    public DeclareServerFailed(ServerId server, Set<Evidence> evidence, String reason, Instant at) {
        this(server, evidence, reason, at, null);
    }

    public DeclareServerFailed {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        evidence = Set.copyOf(evidence);
        if (evidence.isEmpty()) {
            throw new IllegalArgumentException("a server is declared failed only with evidence besides its heartbeats");
        }
    }
}
