package io.zsentinel.deploy.transfer;

import java.time.Duration;

/**
 * Tuning of the agent's transfers ({@code transfers:} in {@code agent.yaml}); every field optional.
 * <pre>
 * transfers: { breakerFailures: 5, breakerOpenSeconds: 60, stallSeconds: 120, progressSeconds: 1, bufferKib: 1024, pipe: auto }
 * </pre>
 *
 * @param breakerFailures    consecutive retriable failures to one target server that open its circuit
 * @param breakerOpenSeconds how long an open circuit refuses transfers before one trial is let through
 * @param stallSeconds       a transfer that moves no byte for this long is killed (and fails retriable)
 * @param progressSeconds    how often a running transfer reports TransferProgressed
 * @param bufferKib          the pump's buffer (default 1 MiB, measured in docs/benchmarks.md)
 * @param pipe               a transfer without a bandwidth limit joins {@code zfs send} and the receiver with a
 *                           kernel pipe instead of the Java pump: {@code auto} (default) where the send process's
 *                           written bytes count the stream (zfs in the kernel, /proc readable), else the pump;
 *                           {@code always} also where they do not (zfs-fuse): progress is then unknown, the agent's
 *                           stall watchdog only checks the processes are alive, the controller's link
 *                           {@code stallTimeout} must exceed the longest transfer, and a cancel cannot stop
 *                           the stream (zfs-fuse's daemon holds both ends of the pipe): for measurement only;
 *                           {@code never}: always the pump
 */
public record TransferSettings(Integer breakerFailures, Integer breakerOpenSeconds, Integer stallSeconds,
                               Integer progressSeconds, Integer bufferKib, String pipe) {
    public static final TransferSettings DEFAULTS = new TransferSettings(null, null, null, null, null, null);

    /**
     * How a transfer's bytes move. AUTO: a kernel pipeline, plain where the send process's writes count the
     * stream (zfs in the kernel) and no limit applies, else metered and limited by pv where installed, else
     * the Java pump. ALWAYS: a plain pipeline for transfers without a limit (progress unknown on zfs-fuse;
     * for measurement). NEVER: the pump.
     */
    public enum Pipe { AUTO, ALWAYS, NEVER }

    public TransferSettings {
        breakerFailures = within(breakerFailures, 5, 1, 1000, "breakerFailures");
        breakerOpenSeconds = within(breakerOpenSeconds, 60, 1, 86400, "breakerOpenSeconds");
        stallSeconds = within(stallSeconds, 120, 1, 86400, "stallSeconds");
        progressSeconds = within(progressSeconds, 1, 1, 3600, "progressSeconds");
        bufferKib = within(bufferKib, 1024, 4, 1 << 20, "bufferKib");
        pipe = pipeMode(pipe).name().toLowerCase(java.util.Locale.ROOT);
    }

    public Pipe pipeMode() {
        return pipeMode(pipe);
    }

    private static Pipe pipeMode(String value) {
        if (value == null || value.isBlank()) {
            return Pipe.AUTO;
        }
        try {
            return Pipe.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pipe must be auto, always or never, not " + value);
        }
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
        return new TransferSettings(failures, openSeconds, stallSeconds, progressSeconds, bufferKib, pipe);
    }

    public TransferSettings withStallSeconds(int seconds) {
        return new TransferSettings(breakerFailures, breakerOpenSeconds, seconds, progressSeconds, bufferKib, pipe);
    }

    public TransferSettings withPipe(Pipe mode) {
        return new TransferSettings(breakerFailures, breakerOpenSeconds, stallSeconds, progressSeconds, bufferKib,
                mode.name().toLowerCase(java.util.Locale.ROOT));
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
