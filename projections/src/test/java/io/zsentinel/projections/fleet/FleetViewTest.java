package io.zsentinel.projections.fleet;

import io.zsentinel.core.ManualClock;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.failover.api.PoolHealthChanged;
import io.zsentinel.failover.api.ServerRegistered;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.failover.detect.Health;
import io.zsentinel.failover.detect.Liveness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.zsentinel.projections.Events.A;
import static io.zsentinel.projections.Events.B;
import static io.zsentinel.projections.Events.T0;
import static io.zsentinel.projections.Events.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

class FleetViewTest {
    private final ManualClock clock = new ManualClock(T0.plusSeconds(100));
    private final FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
    private final FleetView fleet = new FleetView(clock, detector);

    @Test
    void showsTheDetectorsVerdictAtTheClocksTime() {
        fleet.on(new ServerRegistered(A, T0));
        assertEquals(Liveness.UNKNOWN, fleet.servers().get(0).status());
        assertNull(fleet.servers().get(0).secondsSinceHeartbeat());

        detector.heartbeat(A, clock.instant().minusSeconds(3));
        ServerRow row = fleet.servers().get(0);
        assertEquals(Liveness.UP, row.status());
        assertEquals(clock.instant().minusSeconds(3), row.lastHeartbeat());
        assertEquals(3L, row.secondsSinceHeartbeat());
        assertEquals(T0, row.registeredAt());
        assertEquals(Health.HEALTHY, row.health());

        clock.advance(Duration.ofSeconds(13));
        assertEquals(Liveness.SILENT, fleet.servers().get(0).status());
        assertEquals(16L, fleet.servers().get(0).secondsSinceHeartbeat());
        assertEquals(Health.UNKNOWN, fleet.servers().get(0).health(), "the only server silent: everything is");
        assertTrue(fleet.servers().get(0).healthReason().contains("every server is silent"),
                fleet.servers().get(0).healthReason());
    }

    @Test
    void aRegisteredServerNeverHeardSinceTheStartIsSuspectAfterTheTimeout() {
        fleet.on(new ServerRegistered(A, T0)); // replayed at the controller's start
        detector.heartbeat(B, clock.instant());
        assertEquals(Health.UNKNOWN, fleet.servers().get(0).health());

        clock.advance(Duration.ofSeconds(9));
        detector.heartbeat(B, clock.instant());
        ServerRow a = fleet.servers().get(0);
        assertEquals(Liveness.UNKNOWN, a.status(), "never heard");
        assertEquals(Health.SUSPECT, a.health(), a.healthReason());
    }

    @Test
    void showsTheDetectorsHealthAndMaintenance() {
        detector.heartbeat(A, clock.instant().minusSeconds(20));
        detector.heartbeat(B, clock.instant());
        detector.poolReported(A, io.zsentinel.core.values.PoolName.of("tank"), io.zsentinel.core.values.PoolHealth.FAULTED,
                clock.instant().minusSeconds(21));
        fleet.on(new io.zsentinel.failover.api.MaintenanceModeChanged(A, true,
                new io.zsentinel.failover.api.OperatorOrder("alice@ops", "disk swap"), clock.instant()));

        ServerRow a = fleet.servers().get(0);
        assertEquals(Health.FAILED, a.health());
        assertTrue(a.healthReason().contains("tank FAULTED"), a.healthReason());
        assertTrue(a.maintenance());
        assertEquals(Health.HEALTHY, fleet.servers().get(1).health());
    }

    @Test
    void showsWhenTheServerWasLastDeclaredFailed() {
        fleet.on(new ServerRegistered(A, T0));
        assertNull(fleet.servers().get(0).declaredFailedAt());
        fleet.on(new io.zsentinel.failover.api.ServerDeclaredFailed(A, java.util.Set.of(
                io.zsentinel.failover.detect.Evidence.UNREACHABLE_FROM_PEER), "gone", T0.plusSeconds(20), T0));
        fleet.on(new io.zsentinel.failover.api.ServerDeclaredFailed(A, java.util.Set.of(
                io.zsentinel.failover.detect.Evidence.POOL_FAILED), "again", T0.plusSeconds(90), T0.plusSeconds(60)));
        fleet.on(new io.zsentinel.failover.api.ServerDeclaredFailed(A, java.util.Set.of(
                io.zsentinel.failover.detect.Evidence.UNREACHABLE_FROM_PEER), "gone", T0.plusSeconds(20), T0));
        assertEquals(T0.plusSeconds(90), fleet.servers().get(0).declaredFailedAt(), "a redelivered older one changes nothing");
        fleet.reset();
        fleet.on(new ServerRegistered(A, T0));
        assertNull(fleet.servers().get(0).declaredFailedAt());
    }

    @Test
    void aHeartbeatFromAheadOfTheControllersClockIsZeroSecondsOld() {
        detector.heartbeat(A, clock.instant().plusSeconds(2));
        assertEquals(0L, fleet.servers().get(0).secondsSinceHeartbeat());
        assertEquals(Liveness.UP, fleet.servers().get(0).status());
    }

    @Test
    void aHeardButUnregisteredServerIsListed() {
        detector.heartbeat(B, clock.instant());
        fleet.on(new ServerRegistered(A, T0));

        List<ServerRow> rows = fleet.servers();
        assertEquals(List.of(A, B), rows.stream().map(ServerRow::server).toList());
        assertNull(rows.get(1).registeredAt());
        assertEquals(Liveness.UP, rows.get(1).status());
    }

    @Test
    void poolsKeepTheirLatestConditionAndHealthSince() {
        fleet.on(new ServerRegistered(A, T0));
        fleet.on(pool(A, "primary", PoolHealth.ONLINE, 40, T0));
        fleet.on(pool(A, "backup", PoolHealth.ONLINE, 10, T0));
        fleet.on(pool(A, "primary", PoolHealth.DEGRADED, 41, T0.plusSeconds(10)));
        fleet.on(pool(A, "primary", PoolHealth.DEGRADED, 42, T0.plusSeconds(20)));

        List<PoolRow> pools = fleet.servers().get(0).pools();
        assertEquals(List.of(PoolName.of("backup"), PoolName.of("primary")), pools.stream().map(PoolRow::pool).toList());
        PoolRow primary = pools.get(1);
        assertEquals(new PoolRow(PoolName.of("primary"), PoolHealth.DEGRADED, 42, 1L << 40, 0, 0, 3,
                T0.plusSeconds(10)), primary);
    }

    @Test
    void reapplyingEventsChangesNothingAndResetKeepsHeartbeats() {
        Object[] history = {new ServerRegistered(A, T0), pool(A, "primary", PoolHealth.ONLINE, 40, T0),
                pool(A, "primary", PoolHealth.FAULTED, 40, T0.plusSeconds(5))};
        applyAll(history);
        detector.heartbeat(A, clock.instant());
        List<ServerRow> before = fleet.servers();

        applyAll(history);
        assertEquals(before, fleet.servers());

        fleet.reset();
        ServerRow afterReset = fleet.servers().get(0);
        assertEquals(List.of(), afterReset.pools());
        assertEquals(Liveness.UP, afterReset.status(), "heartbeats are not event sourced, so a replay keeps them");
        applyAll(history);
        assertEquals(before, fleet.servers());
    }

    private void applyAll(Object... events) {
        for (Object e : events) {
            if (e instanceof ServerRegistered r) {
                fleet.on(r);
            } else {
                fleet.on((PoolHealthChanged) e);
            }
        }
    }
}
