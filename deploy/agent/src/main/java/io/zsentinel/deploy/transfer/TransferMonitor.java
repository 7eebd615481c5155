package io.zsentinel.deploy.transfer;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What the watchdog knows of one transfer: the bytes moved, when the last one moved and when {@code zfs send}
 * started, on an injected time source ({@link System#nanoTime} in the agent), so a stall is tested by moving
 * time by hand.
 */
final class TransferMonitor {
    private final LongSupplier nanoTime;
    private final long receivedNanos;
    private final AtomicLong bytes = new AtomicLong();
    private volatile long lastByteNanos;
    private volatile long startLatencyNanos = -1;
    private volatile boolean streaming;

    /** {@code receivedNanos}: when the order arrived, on {@code nanoTime}. */
    TransferMonitor(LongSupplier nanoTime, long receivedNanos) {
        this.nanoTime = nanoTime;
        this.receivedNanos = receivedNanos;
        this.lastByteNanos = nanoTime.getAsLong();
    }

    long nanoTime() {
        return nanoTime.getAsLong();
    }

    long bytes() {
        return bytes.get();
    }

    /** {@code n} more bytes moved (the pump counts them as they pass). */
    void added(long n) {
        bytes.addAndGet(n);
        lastByteNanos = nanoTime();
    }

    /** The stream's total so far (pv, or the send's written bytes): progress only when it grew. */
    void counted(long total) {
        if (bytes.getAndAccumulate(total, Math::max) < total) {
            lastByteNanos = nanoTime();
        }
    }

    /** {@code zfs send} started: the start latency is known. */
    void sendStarted() {
        startLatencyNanos = nanoTime() - receivedNanos;
    }

    /** Order received → send process started; empty until then. */
    Optional<Duration> startLatency() {
        long n = startLatencyNanos;
        return n < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(n));
    }

    /** The stream flows (true) or ended (false); idle time counts from its start. */
    void streaming(boolean flowing) {
        if (flowing) {
            lastByteNanos = nanoTime();
        }
        streaming = flowing;
    }

    boolean streaming() {
        return streaming;
    }

    /**
     * Nanoseconds since the last byte moved. {@code progressKnown} false (a pipe whose bytes cannot be read here):
     * the watchdog can only see that {@code zfs send} is alive, and counts that as moving.
     */
    long idleNanos(boolean progressKnown, BooleanSupplier sendAlive) {
        if (!progressKnown && sendAlive.getAsBoolean()) {
            return 0;
        }
        return nanoTime() - lastByteNanos;
    }

    /**
     * The stall watchdog: while the stream flows and no byte has moved for longer than {@code stall}, cancels
     * the transfer through {@code cancel} with the reason and returns true.
     */
    boolean stalled(Duration stall, boolean progressKnown, BooleanSupplier sendAlive, Consumer<String> cancel) {
        if (!streaming || idleNanos(progressKnown, sendAlive) <= stall.toNanos()) {
            return false;
        }
        cancel.accept("stalled: no byte moved for " + stall.toSeconds() + " s");
        return true;
    }
}
