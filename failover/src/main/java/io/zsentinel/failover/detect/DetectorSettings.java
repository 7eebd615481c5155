package io.zsentinel.failover.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@link FailureDetector}'s timeouts, named once. {@code heartbeatTimeout}: how long a server may
 * go unheard and still be up (15 s by default: five of the agent's 3 s heartbeats).
 */
public record DetectorSettings(Duration heartbeatTimeout) {
    public static final DetectorSettings DEFAULTS = new DetectorSettings(Duration.ofSeconds(15));

    public DetectorSettings {
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
            throw new IllegalArgumentException("heartbeat timeout must be positive, got " + heartbeatTimeout
                    + "; set heartbeatTimeoutSeconds to a few agent heartbeat intervals, e.g. 15");
        }
    }
}
