package io.zsentinel.core.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The polls that replaced hand-written sleep loops, with the time from the test (each ask moves it 1 s on). */
class PollingTest {
    private static final Duration EVERY = Duration.ofMillis(1);

    @Test
    void asksUntilTheConditionHolds() {
        AtomicInteger asked = new AtomicInteger();
        assertTrue(Polling.until("t", EVERY, Duration.ofMinutes(1), () -> asked.incrementAndGet() == 3));
        assertEquals(3, asked.get());
    }

    @Test
    void stopsWhenTheTimeIsUpEvenWithAttemptsLeft() {
        AtomicLong nanos = new AtomicLong();
        AtomicInteger asked = new AtomicInteger();
        // 10 s at most, polled every ms: the attempts would allow 10 000; the clock ends it after 10 asks
        assertFalse(Polling.until("t", EVERY, Duration.ofSeconds(10), () -> {
            asked.incrementAndGet();
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
            return false;
        }, nanos::get));
        assertEquals(10, asked.get());
    }

    @Test
    void theAttemptsBoundTheWaitTooWhenTheClockStands() {
        AtomicInteger asked = new AtomicInteger();
        assertFalse(Polling.until("t", Duration.ofMillis(2), Duration.ofMillis(10), () -> {
            asked.incrementAndGet();
            return false;
        }, () -> 0L));
        assertEquals(6, asked.get(), "10 ms / 2 ms, plus the first ask");
    }

    @Test
    void anExceptionFromTheConditionEndsTheWaitUnretried() {
        AtomicInteger asked = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Polling.until("t", EVERY, Duration.ofMinutes(1),
                () -> {
                    asked.incrementAndGet();
                    throw boom;
                })));
        assertEquals(1, asked.get());
    }

    @Test
    void anInterruptedWaitAnswersFalseAndKeepsTheFlag() {
        AtomicInteger asked = new AtomicInteger();
        Thread.currentThread().interrupt();
        try {
            assertFalse(Polling.until("t", EVERY, Duration.ofMinutes(1), () -> asked.incrementAndGet() > 100));
            assertTrue(Thread.currentThread().isInterrupted());
            assertEquals(1, asked.get());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void nonPositiveIntervalsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Polling.until("t", Duration.ZERO, Duration.ofSeconds(1), () -> true));
        assertThrows(IllegalArgumentException.class, () -> Polling.until("t", EVERY, Duration.ofSeconds(-1), () -> true));
    }
}
