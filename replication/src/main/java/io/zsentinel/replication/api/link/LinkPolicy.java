package io.zsentinel.replication.api.link;

import java.time.Duration;
import java.util.Objects;

/**
 * How a link retries: exponential backoff ({@code initialBackoff × factor^(n-1)}, at most
 * {@code maxBackoff}); a transfer whose byte count has not moved for {@code stallTimeout} is
 * declared stalled; after {@code breakerThreshold} consecutive failures the circuit to the target
 * opens for {@code breakerCoolDown}, then lets one attempt through (half-open).
 */
public record LinkPolicy(Duration initialBackoff, double factor, Duration maxBackoff, Duration stallTimeout,
                         int breakerThreshold, Duration breakerCoolDown) {
    public LinkPolicy {
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        requirePositive(stallTimeout, "stallTimeout");
        requirePositive(breakerCoolDown, "breakerCoolDown");
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("backoff factor " + factor + " must be a finite number >= 1");
        }
        if (breakerThreshold < 1) {
            throw new IllegalArgumentException("breakerThreshold " + breakerThreshold + " must be at least 1");
        }
    }

    /** 10 s doubling to 10 min; stalled after 5 min without progress; circuit open for 30 min after 6 failures. */
    public static LinkPolicy defaults() {
        return new LinkPolicy(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), Duration.ofMinutes(5), 6,
                Duration.ofMinutes(30));
    }

    /** The wait after the n-th consecutive failure (n ≥ 1), before the breaker is considered. */
    public Duration backoff(int failures) {
        double millis = initialBackoff.toMillis() * Math.pow(factor, Math.max(0, failures - 1));
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " " + d + " must be positive");
        }
    }
}
