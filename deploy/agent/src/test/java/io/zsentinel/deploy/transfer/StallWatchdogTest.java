package io.zsentinel.deploy.transfer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stall watchdog on a time source moved by hand: no process, no sleep. */
class StallWatchdogTest {
    private static final Duration STALL = Duration.ofSeconds(120);

    private long now = 1_000_000_000L;
    private final TransferMonitor monitor = new TransferMonitor(() -> now, now);
    private final List<String> cancelled = new ArrayList<>();

    private void advance(long seconds) {
        now += Duration.ofSeconds(seconds).toNanos();
    }

    private boolean look() {
        return monitor.stalled(STALL, true, () -> true, cancelled::add);
    }

    @Test
    void aStreamWithoutAByteForTheStallTimeIsCancelledAsStalled() {
        monitor.streaming(true);
        advance(120);
        assertFalse(look(), "120 s is not yet more than the stall timeout");
        assertEquals(List.of(), cancelled);
        advance(1);
        assertTrue(look());
        assertEquals(List.of("stalled: no byte moved for 120 s"), cancelled);
    }

    @Test
    void progressStartsTheStallTimeAgain() {
        monitor.streaming(true);
        advance(100);
        monitor.added(4096);
        advance(100);
        assertFalse(look(), "a byte moved 100 s ago");
        monitor.counted(8192); // pv's or the send's total: grew
        advance(110);
        assertFalse(look());
        monitor.counted(8192); // the same total again is no progress
        advance(11);
        assertTrue(look());
        assertEquals(1, cancelled.size());
        assertEquals(8192, monitor.bytes());
    }

    @Test
    void theIdleTimeCountsFromTheStreamsStartNotFromTheOrder() {
        advance(600); // pre-flight checks and process start took long
        monitor.streaming(true);
        advance(60);
        assertFalse(look());
        assertEquals(Duration.ofSeconds(60).toNanos(), monitor.idleNanos(true, () -> true));
    }

    @Test
    void nothingIsCancelledWhileNoStreamFlows() {
        advance(3600);
        assertFalse(look(), "before the stream starts");
        monitor.streaming(true);
        monitor.streaming(false);
        advance(3600);
        assertFalse(look(), "after the stream ended");
        assertEquals(List.of(), cancelled);
    }

    @Test
    void unknownProgressStallsOnlyOnceTheSenderIsGone() {
        AtomicBoolean sendAlive = new AtomicBoolean(true);
        monitor.streaming(true);
        advance(3600);
        assertFalse(monitor.stalled(STALL, false, sendAlive::get, cancelled::add),
                "a pipe whose bytes cannot be read: a live zfs send counts as moving");
        sendAlive.set(false);
        assertTrue(monitor.stalled(STALL, false, sendAlive::get, cancelled::add));
        assertEquals(1, cancelled.size());
    }

    @Test
    void theStartLatencyIsOrderToSendStart() {
        assertTrue(monitor.startLatency().isEmpty());
        advance(3);
        monitor.sendStarted();
        assertEquals(Duration.ofSeconds(3), monitor.startLatency().orElseThrow());
    }
}
