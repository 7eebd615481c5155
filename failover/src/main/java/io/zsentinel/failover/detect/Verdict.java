package io.zsentinel.failover.detect;

import io.zsentinel.core.values.ServerId;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the detector says of one server at one instant. {@code lastHeartbeat} and {@code silence}
 * (the time since it, negative when the server's clock is ahead) are null when it was never heard.
 */
public record Verdict(ServerId server, Liveness liveness, Instant lastHeartbeat, Duration silence) {
    public Verdict {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(liveness, "liveness");
        if ((lastHeartbeat == null) != (liveness == Liveness.UNKNOWN) || (lastHeartbeat == null) != (silence == null)) {
            throw new IllegalArgumentException("a verdict has a last heartbeat and a silence exactly when it is not "
                    + "unknown, got " + liveness + " with " + lastHeartbeat + " and " + silence);
        }
    }
}
