package io.zsentinel.failover.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@link FailureDetector}'s timeouts, named once. {@code heartbeatTimeout}: how long a server may go unheard
 * and still be up (8 s by default: two of the agent's 3 s heartbeats missed, 2 s for delivery), so that with a
 * second observation a dead server is declared failed within 10 s. It is also how long the fleet stays unknown
 * after the controller's connection comes back: the heartbeats sent meanwhile need that long to arrive.
 */
public record DetectorSettings(Duration heartbeatTimeout) {
    public static final DetectorSettings DEFAULTS = new DetectorSettings(Duration.ofSeconds(8));

    public DetectorSettings {
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
            throw new IllegalArgumentException("heartbeat timeout must be positive, got " + heartbeatTimeout
                    + "; set heartbeatTimeoutSeconds to a few agent heartbeat intervals, e.g. 8");
        }
    }
}
