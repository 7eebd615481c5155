package io.zsentinel.failover.detect;

import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.zsentinel.failover.detect.Evidence.FENCE_CONFIRMED;
import static io.zsentinel.failover.detect.Evidence.POOL_FAILED;
import static io.zsentinel.failover.detect.Evidence.UNREACHABLE_FROM_PEER;
import static io.zsentinel.failover.detect.Health.FAILED;
import static io.zsentinel.failover.detect.Health.HEALTHY;
import static io.zsentinel.failover.detect.Health.SUSPECT;
import static io.zsentinel.failover.detect.Health.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The detector's golden decision table, with the default settings (heartbeat timeout 8 s): a situation in (what
 * was observed, relative to T0 = the primary's last heartbeat), the primary's health and evidence out, at the
 * time of the row.
 */
class FailureDetectorTableTest {
    static final ServerId PRIMARY = ServerId.of("primary");
    static final ServerId STANDBY = ServerId.of("standby");
    static final ServerId OFFSITE = ServerId.of("offsite");
    static final PoolName TANK = PoolName.of("tank");
    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    record Row(String situation, Consumer<FailureDetector> observed, int atSecond, Health health, Set<Evidence> evidence) {
        @Override
        public String toString() {
            return situation;
        }
    }

    static Instant t(int second) {
        return T0.plusSeconds(second);
    }

    /** The primary last heard at T0, the standby heard at {@code standbyAt}. */
    static Consumer<FailureDetector> heard(int standbyAt) {
        return d -> {
            d.heartbeat(PRIMARY, T0);
            d.heartbeat(STANDBY, t(standbyAt));
        };
    }

    static Consumer<FailureDetector> pool(PoolHealth health, int at) {
        return d -> d.poolReported(PRIMARY, TANK, health, t(at));
    }

    static Consumer<FailureDetector> probe(ServerId observer, boolean reachable, int at) {
        return d -> d.probed(new ProbeResult(observer, PRIMARY, reachable, t(at)));
    }

    @SafeVarargs
    static Row row(String situation, int atSecond, Health health, Set<Evidence> evidence, Consumer<FailureDetector>... observed) {
        Consumer<FailureDetector> all = d -> { };
        for (Consumer<FailureDetector> o : observed) {
            all = all.andThen(o);
        }
        return new Row(situation, all, atSecond, health, evidence);
    }

    static Stream<Row> table() {
        return Stream.of(
                row("heard 3 s ago", 3, HEALTHY, Set.of(), heard(3)),
                row("heard 8 s ago: the timeout itself is still in time", 8, HEALTHY, Set.of(), heard(8)),
                row("unheard 9 s, nothing else says it is down", 9, SUSPECT, Set.of(), heard(9)),
                row("unheard 9 s, its pool DEGRADED: still only suspect", 9, SUSPECT, Set.of(), heard(9),
                        pool(PoolHealth.DEGRADED, 0)),
                row("unheard 9 s, its pool FAULTED", 9, FAILED, Set.of(POOL_FAILED), heard(9), pool(PoolHealth.FAULTED, 0)),
                row("unheard 9 s, its pool UNAVAIL", 9, FAILED, Set.of(POOL_FAILED), heard(9), pool(PoolHealth.UNAVAIL, 0)),
                row("unheard 9 s, its pool SUSPENDED", 9, FAILED, Set.of(POOL_FAILED), heard(9), pool(PoolHealth.SUSPENDED, 0)),
                row("unheard 9 s, its pool FAULTED then ONLINE again", 9, SUSPECT, Set.of(), heard(9),
                        pool(PoolHealth.FAULTED, -20), pool(PoolHealth.ONLINE, -10)),
                row("unheard 9 s, an older FAULTED report redelivered after ONLINE", 9, SUSPECT, Set.of(), heard(9),
                        pool(PoolHealth.ONLINE, -10), pool(PoolHealth.FAULTED, -20)),
                row("heard, its live agent reports its pool FAULTED: the server says so itself", 2, FAILED, Set.of(POOL_FAILED),
                        heard(2), pool(PoolHealth.FAULTED, 1)),
                row("unheard 9 s, the standby cannot reach it since", 9, FAILED, Set.of(UNREACHABLE_FROM_PEER), heard(9),
                        probe(STANDBY, false, 6)),
                row("unheard 9 s, the standby could not reach it before its last heartbeat only", 9, SUSPECT, Set.of(),
                        heard(9), probe(STANDBY, false, -1)),
                row("unheard 9 s, the standby cannot reach it, the offsite can: only the controller is cut off", 9, SUSPECT,
                        Set.of(), heard(9), d -> d.heartbeat(OFFSITE, t(9)), probe(STANDBY, false, 6), probe(OFFSITE, true, 7)),
                row("unheard 9 s, the standby's newest probe reaches it again", 9, SUSPECT, Set.of(), heard(9),
                        probe(STANDBY, false, 4), probe(STANDBY, true, 7)),
                row("unheard 9 s, the standby's older unreachable probe redelivered", 9, SUSPECT, Set.of(), heard(9),
                        probe(STANDBY, true, 7), probe(STANDBY, false, 4)),
                row("unheard 9 s, the fence hook confirmed it off", 9, FAILED, Set.of(FENCE_CONFIRMED), heard(9),
                        d -> d.fenceConfirmed(PRIMARY, t(5))),
                row("heard, fenced since its last heartbeat: off", 3, FAILED, Set.of(FENCE_CONFIRMED), heard(3),
                        d -> d.fenceConfirmed(PRIMARY, t(2))),
                row("heard again after the fence: back", 12, HEALTHY, Set.of(), heard(12),
                        d -> d.fenceConfirmed(PRIMARY, t(2)), d -> d.heartbeat(PRIMARY, t(10))),
                row("unheard, every piece of evidence at once", 9, FAILED, Set.of(POOL_FAILED, UNREACHABLE_FROM_PEER,
                        FENCE_CONFIRMED), heard(9), pool(PoolHealth.FAULTED, 0), probe(STANDBY, false, 6),
                        d -> d.fenceConfirmed(PRIMARY, t(7))),
                row("everything silent at once, even with its pool FAULTED and its standby unreachable: unknown", 30,
                        UNKNOWN, Set.of(), heard(1), pool(PoolHealth.FAULTED, 0), probe(STANDBY, false, 5)),
                row("the controller's connection to Kafka down: unknown", 9, UNKNOWN, Set.of(), heard(9),
                        pool(PoolHealth.FAULTED, 0), d -> d.connectionLost(t(4))),
                row("the connection back 5 s ago: still unknown while the heartbeats sent meanwhile arrive", 9, UNKNOWN,
                        Set.of(), heard(9), pool(PoolHealth.FAULTED, 0), d -> d.connectionLost(t(1)),
                        d -> d.connectionRestored(t(4))),
                row("the connection back 9 s ago: judged again", 13, FAILED, Set.of(POOL_FAILED), heard(13),
                        pool(PoolHealth.FAULTED, 0), d -> d.connectionLost(t(1)), d -> d.connectionRestored(t(4))),
                row("never heard since the controller started, even with a probe", 9, UNKNOWN, Set.of(),
                        d -> d.heartbeat(STANDBY, t(9)), probe(STANDBY, false, 6)),
                row("registered, watched since the controller started 5 s ago, not heard yet: unknown", 5, UNKNOWN,
                        Set.of(), d -> d.heartbeat(STANDBY, t(5)), d -> d.expect(PRIMARY, T0), probe(STANDBY, false, 3)),
                row("registered, watched for 9 s, never heard: suspect", 9, SUSPECT, Set.of(),
                        d -> d.heartbeat(STANDBY, t(9)), d -> d.expect(PRIMARY, T0)),
                row("registered, died while the controller was down: watched 9 s, the standby cannot reach it", 9, FAILED,
                        Set.of(UNREACHABLE_FROM_PEER), d -> d.heartbeat(STANDBY, t(9)), d -> d.expect(PRIMARY, T0),
                        probe(STANDBY, false, 6)),
                row("registered, its unreachable probe from before the controller started does not count", 9, SUSPECT,
                        Set.of(), d -> d.heartbeat(STANDBY, t(9)), d -> d.expect(PRIMARY, T0), probe(STANDBY, false, -2)),
                row("registered and heard after all: healthy, watching changes nothing", 9, HEALTHY, Set.of(),
                        heard(9), d -> d.heartbeat(PRIMARY, t(6)), d -> d.expect(PRIMARY, T0.minusSeconds(60))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(Row row) {
        FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
        row.observed().accept(detector);

        Verdict v = detector.verdict(PRIMARY, t(row.atSecond()));
        assertEquals(row.health(), v.health(), v.reason());
        assertEquals(row.evidence(), v.evidence(), v.reason());
        assertEquals(v, detector.verdicts(t(row.atSecond())).getOrDefault(PRIMARY, v), "one judgement, whichever way asked");
    }

    @Test
    void maintenanceSuppressesAutomaticFailoverButNotTheVerdict() {
        FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
        heard(9).andThen(pool(PoolHealth.FAULTED, 0)).accept(detector);
        assertTrue(detector.verdict(PRIMARY, t(9)).automaticFailover());

        detector.maintenance(PRIMARY, true);
        Verdict v = detector.verdict(PRIMARY, t(9));
        assertEquals(FAILED, v.health(), "the dashboard still shows what is wrong");
        assertTrue(v.maintenance());
        assertFalse(v.automaticFailover());

        detector.maintenance(PRIMARY, false);
        assertTrue(detector.verdict(PRIMARY, t(9)).automaticFailover());
    }

    @Test
    void onlyAFailedServerIsFailedOverAutomatically() {
        FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
        heard(9).accept(detector);
        assertFalse(detector.verdict(PRIMARY, t(9)).automaticFailover(), "suspect");
        assertFalse(detector.verdict(PRIMARY, t(3)).automaticFailover(), "healthy");
        assertFalse(detector.verdict(OFFSITE, t(3)).automaticFailover(), "unknown");
    }

    @Test
    void theReasonSaysWhatWasSeen() {
        FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
        heard(9).andThen(pool(PoolHealth.FAULTED, 0)).andThen(probe(STANDBY, false, 6)).accept(detector);
        String reason = detector.verdict(PRIMARY, t(9)).reason();
        assertTrue(reason.contains("unheard for 9 s") && reason.contains("tank FAULTED") && reason.contains("standby cannot reach it"),
                reason);
        detector.heartbeat(STANDBY, t(40));
        assertTrue(detector.fleet(t(40)).known());
        detector.connectionLost(t(41));
        assertTrue(detector.verdict(STANDBY, t(42)).reason().contains("connection to Kafka is down"),
                detector.verdict(STANDBY, t(42)).reason());
    }

    /**
     * Defaults detect a dead server within 10 s: the agent heartbeats every 3 s (its default), the standby probes it
     * every 2 s; whenever between two heartbeats it dies, it is failed at most 10 s later.
     */
    @Test
    void defaultsDeclareADeadServerFailedWithinTenSeconds() {
        Duration worst = Duration.ZERO;
        for (int deathMillis = 0; deathMillis < 3000; deathMillis += 250) {
            FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
            Instant death = T0.plusMillis(deathMillis);
            Instant declared = null;
            for (Instant now = T0.minusSeconds(30); declared == null && now.isBefore(death.plusSeconds(60));
                 now = now.plusMillis(100)) {
                long ms = Duration.between(T0.minusSeconds(30), now).toMillis();
                if (ms % 3000 == 0 && now.isBefore(death)) {
                    detector.heartbeat(PRIMARY, now);
                }
                if (ms % 3000 == 0) {
                    detector.heartbeat(STANDBY, now);
                }
                if (ms % 2000 == 0) {
                    detector.probed(new ProbeResult(STANDBY, PRIMARY, now.isBefore(death), now));
                }
                if (detector.verdict(PRIMARY, now).health() == FAILED) {
                    declared = now;
                }
            }
            assertTrue(declared != null, "never declared failed after dying at +" + deathMillis + " ms");
            Duration took = Duration.between(death, declared);
            worst = took.compareTo(worst) > 0 ? took : worst;
        }
        assertTrue(worst.compareTo(Duration.ofSeconds(10)) <= 0, "worst detection " + worst);
    }
}
