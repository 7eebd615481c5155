package io.zsentinel.core.retry;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Waiting for a condition by asking again, as a Resilience4j {@link Retry}: bounded by a number of attempts and by
 * time, whichever ends first. An exception from the condition is not retried: it ends the wait.
 */
public final class Polling {
    private Polling() {
    }

    /**
     * Asks {@code done} until it answers true, {@code every} apart, for at most {@code atMost}: whether it did (false
     * also when the thread was interrupted meanwhile; its flag stays set). {@code name} names the retry in metrics.
     */
    public static boolean until(String name, Duration every, Duration atMost, BooleanSupplier done) {
        return until(name, every, atMost, done, System::nanoTime);
    }

    /** As {@link #until(String, Duration, Duration, BooleanSupplier)}, with the time in nanoseconds from {@code nanoTime}. */
    static boolean until(String name, Duration every, Duration atMost, BooleanSupplier done, LongSupplier nanoTime) {
        Objects.requireNonNull(done, "done");
        if (every.isNegative() || every.isZero() || atMost.isNegative()) {
            throw new IllegalArgumentException("poll " + name + " every " + every + " for at most " + atMost
                    + ": both must be positive");
        }
        long deadline = nanoTime.getAsLong() + atMost.toNanos();
        return until(Retry.of(name, RetryConfig.custom()
                .maxAttempts((int) Math.min(Integer.MAX_VALUE, Math.max(1, atMost.toMillis() / every.toMillis()) + 1))
                .waitDuration(every)
                .retryOnException(e -> e instanceof NotYet && nanoTime.getAsLong() < deadline)
                .build()), done);
    }

    /**
     * A retry that asks again up to {@code maxAttempts} times in all, {@code pauses} apart (given the number of the
     * retry, from 1), for {@link #until(Retry, BooleanSupplier)}.
     */
    public static RetryConfig attempts(int maxAttempts, IntervalFunction pauses) {
        return RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(Objects.requireNonNull(pauses, "pauses"))
                .retryOnException(e -> e instanceof NotYet)
                .build();
    }

    /**
     * Asks {@code done} under {@code retry} (made of {@link #attempts}) until it answers true: whether it did (false
     * also when the thread was interrupted meanwhile; its flag stays set). An exception from {@code done} ends it.
     */
    public static boolean until(Retry retry, BooleanSupplier done) {
        try {
            retry.executeRunnable(() -> {
                if (!done.getAsBoolean()) {
                    throw new NotYet();
                }
            });
            return true;
        } catch (NotYet e) {
            return false;
        }
    }

    private static final class NotYet extends RuntimeException {
        NotYet() {
            super("not yet", null, false, false);
        }
    }
}
