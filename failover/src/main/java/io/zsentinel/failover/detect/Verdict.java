package io.zsentinel.failover.detect;

import io.zsentinel.core.values.ServerId;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the detector says of one server at one instant. {@code liveness} is what its heartbeats alone say;
 * {@code health} the conclusion, {@code evidence} the observations besides heartbeats that it is down, and
 * {@code reason} the conclusion in words for a person. {@code lastHeartbeat} and {@code silence} (the time since
 * it, negative when the server's clock is ahead) are null when it was never heard. {@code maintenance}: an
 * operator put it in maintenance mode, which suppresses automatic failover whatever its health.
 */
public record Verdict(ServerId server, Liveness liveness, Health health, Instant lastHeartbeat, Duration silence,
                      Set<Evidence> evidence, boolean maintenance, String reason) {
    public Verdict {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(reason, "reason");
        if ((lastHeartbeat == null) != (liveness == Liveness.UNKNOWN) || (lastHeartbeat == null) != (silence == null)) {
            throw new IllegalArgumentException("a verdict has a last heartbeat and a silence exactly when it is not "
                    + "unknown, got " + liveness + " with " + lastHeartbeat + " and " + silence);
        }
        evidence = evidence.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(evidence));
        if ((health == Health.FAILED) == evidence.isEmpty()) {
            throw new IllegalArgumentException("a server is failed exactly when there is evidence besides its heartbeats,"
                    + " got " + health + " with " + evidence);
        }
    }

    /** Whether the rules let the controller fail its services over without an operator: failed, not in maintenance. */
    public boolean automaticFailover() {
        return health == Health.FAILED && !maintenance;
    }
}
