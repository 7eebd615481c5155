package io.zsentinel.deploy.transfer;

import java.util.function.LongSupplier;

/**
 * A bandwidth limit for the pump: {@code bytesPerSecond} tokens accrue per second, up to one second's
 * worth (the largest burst). The bucket starts empty so that the average from the first byte on stays
 * within the limit. A chunk larger than the tokens at hand is let through after a wait that pays its debt.
 * Not thread-safe: one pump owns one bucket.
 */
public final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastNanos;

    public TokenBucket(long bytesPerSecond, LongSupplier nanoClock) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("a token bucket needs a positive rate, not " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanoClock = nanoClock;
        this.lastNanos = nanoClock.getAsLong();
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Takes {@code bytes} tokens; returns how many nanoseconds to wait before sending them (0: at once). */
    public long reserve(long bytes) {
        long now = nanoClock.getAsLong();
        tokens = Math.min(bytesPerSecond, tokens + (now - lastNanos) * (double) bytesPerSecond / NANOS_PER_SECOND);
        lastNanos = now;
        tokens -= bytes;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / bytesPerSecond);
    }

    /** The chunk a pump should read at most at this rate: about a quarter second of bytes, at least 4 KiB. */
    public int chunkLimit(int buffer) {
        return (int) Math.max(4096, Math.min(buffer, bytesPerSecond / 4));
    }
}
