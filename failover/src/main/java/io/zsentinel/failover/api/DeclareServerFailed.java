package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.detect.Evidence;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/** The failure detector found {@code server} failed (its verdict's evidence and reason): record it, once. */
public record DeclareServerFailed(@TargetAggregateIdentifier ServerId server, Set<Evidence> evidence, String reason,
                                  Instant at) implements ServerCommand {
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
