package io.zsentinel.deploy.config;

import java.time.Duration;

/**
 * {@code failover:} in controller.yaml: how long a failed primary's lease runs after its last heartbeat, so that a
 * failover without a confirmed fence promotes only once the primary has certainly demoted itself, and how long a
 * failover may take before it is aborted.
 * <pre>
 * failover:
 *   leaseSeconds: 10        # the agents' leaseSeconds (agent.yaml): keep them equal
 *   leaseMarginSeconds: 5   # clocks and delivery: promotion without a fence waits lease + margin after the last heartbeat
 *   windowSeconds: 300      # a failover not serving by then is aborted
 * </pre>
 */
public record FailoverConfig(Integer leaseSeconds, Integer leaseMarginSeconds, Integer windowSeconds) {
    public static final int DEFAULT_LEASE_SECONDS = 10;
    public static final int DEFAULT_MARGIN_SECONDS = 5;
    public static final int DEFAULT_WINDOW_SECONDS = 300;

    public FailoverConfig {
        leaseSeconds = positive(leaseSeconds, DEFAULT_LEASE_SECONDS, "leaseSeconds");
        leaseMarginSeconds = leaseMarginSeconds == null ? DEFAULT_MARGIN_SECONDS : leaseMarginSeconds;
        if (leaseMarginSeconds < 0) {
            throw new IllegalArgumentException("failover.leaseMarginSeconds must be 0 or more, not " + leaseMarginSeconds);
        }
        windowSeconds = positive(windowSeconds, DEFAULT_WINDOW_SECONDS, "windowSeconds");
        if (windowSeconds <= leaseSeconds + leaseMarginSeconds) {
            throw new IllegalArgumentException("failover.windowSeconds (" + windowSeconds + ") must be longer than the"
                    + " lease and its margin (" + (leaseSeconds + leaseMarginSeconds) + " s): a failover waiting for the"
                    + " lease would always be aborted");
        }
    }

    public static FailoverConfig defaults() {
        return new FailoverConfig(null, null, null);
    }

    /** How long after a primary's last heartbeat its lease has certainly lapsed. */
    public Duration leaseAndMargin() {
        return Duration.ofSeconds(leaseSeconds + leaseMarginSeconds);
    }

    public Duration window() {
        return Duration.ofSeconds(windowSeconds);
    }

    private static int positive(Integer value, int otherwise, String name) {
        if (value == null) {
            return otherwise;
        }
        if (value < 1) {
            throw new IllegalArgumentException("failover." + name + " must be at least 1, not " + value);
        }
        return value;
    }
}
