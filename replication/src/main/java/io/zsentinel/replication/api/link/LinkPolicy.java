package io.zsentinel.replication.api.link;

import io.zsentinel.core.messages.agentcommands.TransferPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * How a link retries: exponential backoff ({@code initialBackoff × factor^(n-1)}, at most
 * {@code maxBackoff}); a transfer whose byte count has not moved for {@code stallTimeout} is
 * declared stalled; after {@code breakerThreshold} consecutive failures the circuit to the target
 * opens for {@code breakerCoolDown}, then lets one attempt through (half-open). The stall and breaker part
 * is the link's {@link TransferPolicy} ({@link #transfer()}), sent with each transfer so the agent applies
 * the same values.
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

    /** 10 s doubling to 10 min; stall and breaker as {@link TransferPolicy#DEFAULTS}. */
    public static LinkPolicy defaults() {
        return new LinkPolicy(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), TransferPolicy.DEFAULTS);
    }

    public LinkPolicy(Duration initialBackoff, double factor, Duration maxBackoff, TransferPolicy transfer) {
        this(initialBackoff, factor, maxBackoff, transfer.stallTimeout(), transfer.breakerFailures(),
                transfer.breakerOpen());
    }

    /** What the agent applies to this link's transfers: the stall timeout and the circuit breaker. */
    public TransferPolicy transfer() {
        return new TransferPolicy(stallTimeout, breakerThreshold, breakerCoolDown);
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
