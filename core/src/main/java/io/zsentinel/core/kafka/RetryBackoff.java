package io.zsentinel.core.kafka;

import java.time.Duration;

/** Exponential, capped delay between retries of a failing record: initial * 2^(attempt-1), at most max. */
public record RetryBackoff(Duration initial, Duration max) {

    public static final RetryBackoff DEFAULT = new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    public RetryBackoff {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial <= max: " + initial + ", " + max);
        }
    }

    /** attempt counts from 1 (the first retry). */
    public Duration delay(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long millis = initial.toMillis() << shift;
        return millis < 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
