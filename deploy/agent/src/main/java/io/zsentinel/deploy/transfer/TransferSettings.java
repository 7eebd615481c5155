package io.zsentinel.deploy.transfer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.zsentinel.core.messages.agentcommands.TransferPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tuning of the agent's transfers ({@code transfers:} in {@code agent.yaml}); every field optional.
 * <pre>
 * transfers: { progressSeconds: 1, bufferKib: 1024, pipe: auto }
 * </pre>
 * The stall timeout and the circuit breaker are not set here: they are the replication link's
 * ({@link TransferPolicy}), sent by the controller with every transfer, so the link and the agent apply
 * the same values; {@code breakerFailures}, {@code breakerOpenSeconds} and {@code stallSeconds} in an
 * older agent.yaml are refused with that explanation.
 *
 * @param progressSeconds    how often a running transfer reports TransferProgressed
 * @param bufferKib          the pump's buffer (default 1 MiB, measured in docs/benchmarks.md)
 * @param pipe               a transfer without a bandwidth limit joins {@code zfs send} and the receiver with a
 *                           kernel pipe instead of the Java pump: {@code auto} (default) where the send process's
 *                           written bytes count the stream (zfs in the kernel, /proc readable), else the pump;
 *                           {@code always} also where they do not (zfs-fuse): progress is then unknown, the agent's
 *                           stall watchdog only checks the processes are alive, the link's stall timeout
 *                           must exceed the longest transfer, and a cancel cannot stop
 *                           the stream (zfs-fuse's daemon holds both ends of the pipe): for measurement only;
 *                           {@code never}: always the pump
 */
public record TransferSettings(Integer progressSeconds, Integer bufferKib, String pipe) {
    public static final TransferSettings DEFAULTS = new TransferSettings(null, null, null);

    /**
     * How a transfer's bytes move. AUTO: a kernel pipeline, plain where the send process's writes count the
     * stream (zfs in the kernel) and no limit applies, else metered and limited by pv where installed, else
     * the Java pump. ALWAYS: a plain pipeline for transfers without a limit (progress unknown on zfs-fuse;
     * for measurement). NEVER: the pump.
     */
    public enum Pipe { AUTO, ALWAYS, NEVER }

    public TransferSettings {
        progressSeconds = within(progressSeconds, 1, 1, 3600, "progressSeconds");
        bufferKib = within(bufferKib, 1024, 4, 1 << 20, "bufferKib");
        pipe = pipeMode(pipe).name().toLowerCase(java.util.Locale.ROOT);
    }

    /** From agent.yaml: the settings the link decides now are refused, with where they went. */
    @JsonCreator
    static TransferSettings read(@JsonProperty("progressSeconds") Integer progressSeconds,
                                 @JsonProperty("bufferKib") Integer bufferKib, @JsonProperty("pipe") String pipe,
                                 @JsonProperty("breakerFailures") Integer breakerFailures,
                                 @JsonProperty("breakerOpenSeconds") Integer breakerOpenSeconds,
                                 @JsonProperty("stallSeconds") Integer stallSeconds) {
        List<String> moved = new ArrayList<>();
        if (breakerFailures != null) {
            moved.add("breakerFailures");
        }
        if (breakerOpenSeconds != null) {
            moved.add("breakerOpenSeconds");
        }
        if (stallSeconds != null) {
            moved.add("stallSeconds");
        }
        if (!moved.isEmpty()) {
            TransferPolicy p = TransferPolicy.DEFAULTS;
            throw new IllegalArgumentException(String.join(", ", moved) + ": no longer set on the agent; each "
                    + "replication link's stall timeout and circuit breaker come from the controller with every "
                    + "transfer (stalled after " + p.stallTimeout().toSeconds() + " s without a byte, circuit open for "
                    + p.breakerOpen().toSeconds() + " s after " + p.breakerFailures() + " consecutive failures), "
                    + "so the link and the agent agree: remove " + (moved.size() == 1 ? "it" : "them")
                    + " from transfers:");
        }
        return new TransferSettings(progressSeconds, bufferKib, pipe);
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

    public Duration progressInterval() {
        return Duration.ofSeconds(progressSeconds);
    }

    public int bufferBytes() {
        return bufferKib * 1024;
    }

    public TransferSettings withPipe(Pipe mode) {
        return new TransferSettings(progressSeconds, bufferKib, mode.name().toLowerCase(java.util.Locale.ROOT));
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
