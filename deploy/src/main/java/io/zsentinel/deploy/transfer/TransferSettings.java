package io.zsentinel.deploy.transfer;

import java.time.Duration;

/**
 * Tuning of the agent's transfers ({@code transfers:} in {@code agent.yaml}); every field optional.
 * <pre>
 * transfers: { breakerFailures: 5, breakerOpenSeconds: 60, stallSeconds: 120, progressSeconds: 1, bufferKib: 1024 }
 * </pre>
 *
 * @param breakerFailures    consecutive retriable failures to one target server that open its circuit
 * @param breakerOpenSeconds how long an open circuit refuses transfers before one trial is let through
 * @param stallSeconds       a transfer that moves no byte for this long is killed (and fails retriable)
 * @param progressSeconds    how often a running transfer reports TransferProgressed
 * @param bufferKib          the pump's buffer (default 1 MiB, measured in docs/benchmarks.md)
 */
public record TransferSettings(Integer breakerFailures, Integer breakerOpenSeconds, Integer stallSeconds,
                               Integer progressSeconds, Integer bufferKib) {
    public static final TransferSettings DEFAULTS = new TransferSettings(null, null, null, null, null);

    public TransferSettings {
        breakerFailures = within(breakerFailures, 5, 1, 1000, "breakerFailures");
        breakerOpenSeconds = within(breakerOpenSeconds, 60, 1, 86400, "breakerOpenSeconds");
        stallSeconds = within(stallSeconds, 120, 1, 86400, "stallSeconds");
        progressSeconds = within(progressSeconds, 1, 1, 3600, "progressSeconds");
        bufferKib = within(bufferKib, 1024, 4, 1 << 20, "bufferKib");
    }

    public Duration breakerOpen() {
        return Duration.ofSeconds(breakerOpenSeconds);
    }

    public Duration stall() {
        return Duration.ofSeconds(stallSeconds);
    }

    public Duration progressInterval() {
        return Duration.ofSeconds(progressSeconds);
    }

    public int bufferBytes() {
        return bufferKib * 1024;
    }

    public TransferSettings withBreaker(int failures, int openSeconds) {
        return new TransferSettings(failures, openSeconds, stallSeconds, progressSeconds, bufferKib);
    }

    public TransferSettings withStallSeconds(int seconds) {
        return new TransferSettings(breakerFailures, breakerOpenSeconds, seconds, progressSeconds, bufferKib);
    }

    private static int within(Integer value, int fallback, int min, int max, String name) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }
}
