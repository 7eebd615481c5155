package io.zsentinel.core.messages.agentcommands;

import java.time.Duration;
import java.util.Objects;

/**
 * How a replication link's transfers give up, one definition for the controller's link and the agent that
 * runs the stream: a transfer that moves no byte for {@code stallTimeout} is stalled (the agent's watchdog
 * kills it); after {@code breakerFailures} consecutive failures the circuit to the target opens for
 * {@code breakerOpen}, then lets one attempt through (half-open). The link holds it in its policy and every
 * {@link StartTransfer} carries it, so both sides apply the same values.
 */
public record TransferPolicy(Duration stallTimeout, int breakerFailures, Duration breakerOpen) {
    /** Stalled after 120 s without a byte; the circuit opens after 5 consecutive failures, for 60 s. */
    public static final TransferPolicy DEFAULTS = new TransferPolicy(Duration.ofSeconds(120), 5,
            Duration.ofSeconds(60));

    public TransferPolicy {
        requirePositive(stallTimeout, "stallTimeout");
        requirePositive(breakerOpen, "breakerOpen");
        if (breakerFailures < 1) {
            throw new IllegalArgumentException("breakerFailures " + breakerFailures + " must be at least 1");
        }
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " " + d + " must be positive");
        }
    }
}
