package io.zsentinel.deploy.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;

/**
 * {@code controllerLease:} in controller.yaml: how the controllers of one cell decide which of them is active (a
 * lease row in the event store's PostgreSQL, see docs/architecture.md "Controller HA").
 * <pre>
 * controllerLease:
 *   renewSeconds: 2    # how often the active controller renews (and a standby asks)
 *   ttlSeconds: 10     # a renewal holds this long; a standby takes over this long after the last one
 *   holder: ctl-a      # this controller's name in the lease and in /health (default: host, pid and a random tag)
 * </pre>
 * Ten seconds ride out a store that stalls for a few renewals (four missed ones before the lease is lost), and keep
 * a takeover within about ttl + renew + the new controller's start; it matches the agents' primary lease.
 */
public record ControllerLeaseConfig(Integer renewSeconds, Integer ttlSeconds, String holder) {
    public static final int DEFAULT_RENEW_SECONDS = 2;
    public static final int DEFAULT_TTL_SECONDS = 10;

    public ControllerLeaseConfig {
        renewSeconds = renewSeconds == null ? DEFAULT_RENEW_SECONDS : renewSeconds;
        ttlSeconds = ttlSeconds == null ? DEFAULT_TTL_SECONDS : ttlSeconds;
        if (renewSeconds < 1) {
            throw new IllegalArgumentException("controllerLease.renewSeconds must be at least 1, not " + renewSeconds);
        }
        if (ttlSeconds < 2 * renewSeconds) {
            throw new IllegalArgumentException("controllerLease.ttlSeconds (" + ttlSeconds + ") must be at least twice"
                    + " renewSeconds (" + renewSeconds + "): one late renewal would lose the lease");
        }
        holder = holder == null || holder.isBlank() ? defaultHolder() : holder.strip();
    }

    public static ControllerLeaseConfig defaults() {
        return new ControllerLeaseConfig(null, null, null);
    }

    public Duration renewEvery() {
        return Duration.ofSeconds(renewSeconds);
    }

    public Duration ttl() {
        return Duration.ofSeconds(ttlSeconds);
    }

    /** Unique per process, also for two controllers in one JVM (tests): host, pid and a random tag. */
    private static String defaultHolder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
