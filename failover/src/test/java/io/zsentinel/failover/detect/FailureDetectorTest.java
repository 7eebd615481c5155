package io.zsentinel.failover.detect;

import io.zsentinel.core.values.ServerId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureDetectorTest {
    private static final ServerId A = ServerId.of("store-a");
    private static final ServerId B = ServerId.of("store-b");
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final FailureDetector detector = new FailureDetector(new DetectorSettings(Duration.ofSeconds(15)));

    @Test
    void upUntilTheTimeoutInclusiveThenSilent() {
        detector.heartbeat(A, T0);

        assertEquals(Liveness.UP, detector.verdict(A, T0).liveness());
        assertEquals(Duration.ZERO, detector.verdict(A, T0).silence());
        assertEquals(Liveness.UP, detector.verdict(A, T0.plusSeconds(15)).liveness(), "15 s exactly is still up");
        Verdict late = detector.verdict(A, T0.plusSeconds(15).plusNanos(1));
        assertEquals(Liveness.SILENT, late.liveness(), "a nanosecond past the timeout is silent");
        assertEquals(T0, late.lastHeartbeat());
        assertEquals(Duration.ofSeconds(15).plusNanos(1), late.silence());
    }

    @Test
    void aServerThatComesBackIsUpAgain() {
        detector.heartbeat(A, T0);
        assertEquals(Liveness.SILENT, detector.verdict(A, T0.plusSeconds(60)).liveness());

        detector.heartbeat(A, T0.plusSeconds(61));
        Verdict back = detector.verdict(A, T0.plusSeconds(62));
        assertEquals(List.of(Liveness.UP, Health.HEALTHY, T0.plusSeconds(61), Duration.ofSeconds(1)),
                List.of(back.liveness(), back.health(), back.lastHeartbeat(), back.silence()));
    }

    @Test
    void aLateOrRedeliveredHeartbeatDoesNotMoveLivenessBackwards() {
        detector.heartbeat(A, T0.plusSeconds(30));
        detector.heartbeat(A, T0); // redelivered after the newer one

        assertEquals(T0.plusSeconds(30), detector.verdict(A, T0.plusSeconds(40)).lastHeartbeat());
        assertEquals(Liveness.UP, detector.verdict(A, T0.plusSeconds(40)).liveness());
    }

    @Test
    void aServerNeverHeardIsUnknownAndNotListed() {
        detector.heartbeat(B, T0);

        Verdict unheard = detector.verdict(A, T0);
        assertEquals(List.of(Liveness.UNKNOWN, Health.UNKNOWN), List.of(unheard.liveness(), unheard.health()));
        assertNull(unheard.lastHeartbeat());
        assertEquals(List.of(B), List.copyOf(detector.verdicts(T0).keySet()));
    }

    @Test
    void aHeartbeatAheadOfTheAskingClockIsUp() {
        detector.heartbeat(A, T0.plusSeconds(5)); // the agent's clock is ahead of the controller's
        Verdict v = detector.verdict(A, T0);
        assertEquals(Liveness.UP, v.liveness());
        assertEquals(Duration.ofSeconds(-5), v.silence());
    }

    @Test
    void verdictsJudgeEveryHeardServerAtTheSameInstantOrderedById() {
        detector.heartbeat(B, T0.plusSeconds(20));
        detector.heartbeat(A, T0);

        var verdicts = detector.verdicts(T0.plusSeconds(30));
        assertEquals(List.of(A, B), List.copyOf(verdicts.keySet()));
        assertEquals(Liveness.SILENT, verdicts.get(A).liveness());
        assertEquals(Liveness.UP, verdicts.get(B).liveness());
    }

    @Test
    void settingsRefuseATimeoutThatIsNotPositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DetectorSettings(Duration.ZERO));
        assertTrue(e.getMessage().contains("heartbeatTimeoutSeconds"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DetectorSettings(Duration.ofSeconds(-1)));
        assertEquals(Duration.ofSeconds(8), DetectorSettings.DEFAULTS.heartbeatTimeout());
    }

    @Test
    void readersSeeEveryHeartbeatOfOneWriterWithoutErrors() throws Exception {
        int servers = 200;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                start.await();
                for (int i = 0; i < servers; i++) {
                    detector.heartbeat(ServerId.of("s" + i), T0.plusSeconds(i));
                }
                return null;
            });
            List<Future<Integer>> readers = List.of(pool.submit(() -> read(start, servers)),
                    pool.submit(() -> read(start, servers)));
            start.countDown();
            writer.get(30, TimeUnit.SECONDS);
            for (Future<Integer> r : readers) {
                assertTrue(r.get(30, TimeUnit.SECONDS) <= servers);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(servers, detector.verdicts(T0).size());
    }

    /** Reads while the writer writes; a verdict seen is always of a heard server, never half-built. */
    private int read(CountDownLatch start, int servers) throws InterruptedException {
        start.await();
        int seen = 0;
        while (seen < servers && !Thread.currentThread().isInterrupted()) {
            var verdicts = detector.verdicts(T0.plusSeconds(servers));
            verdicts.values().forEach(v -> assertTrue(v.lastHeartbeat() != null && v.liveness() != Liveness.UNKNOWN));
            seen = verdicts.size();
        }
        return seen;
    }

    @Test
    void aVerdictIsConsistent() {
        assertThrows(IllegalArgumentException.class,
                () -> new Verdict(A, Liveness.UP, Health.HEALTHY, null, null, Set.of(), false, "?"));
        assertThrows(IllegalArgumentException.class,
                () -> new Verdict(A, Liveness.UNKNOWN, Health.UNKNOWN, T0, Duration.ZERO, Set.of(), false, "?"));
        assertThrows(IllegalArgumentException.class, () -> new Verdict(A, Liveness.SILENT, Health.FAILED, T0,
                Duration.ofSeconds(9), Set.of(), false, "failed without evidence"));
        assertThrows(IllegalArgumentException.class, () -> new Verdict(A, Liveness.SILENT, Health.SUSPECT, T0,
                Duration.ofSeconds(9), Set.of(Evidence.POOL_FAILED), false, "suspect with evidence"));
    }
}
