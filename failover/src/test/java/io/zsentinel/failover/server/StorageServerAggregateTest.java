package io.zsentinel.failover.server;

import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.ChangeMaintenanceMode;
import io.zsentinel.failover.api.DeclareServerFailed;
import io.zsentinel.failover.api.MaintenanceModeChanged;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.PoolCondition;
import io.zsentinel.failover.api.PoolHealthChanged;
import io.zsentinel.failover.api.RecordHeartbeat;
import io.zsentinel.failover.api.RecordPoolHealth;
import io.zsentinel.failover.api.ServerDeclaredFailed;
import io.zsentinel.failover.api.ServerRegistered;
import io.zsentinel.failover.detect.Evidence;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

class StorageServerAggregateTest {
    private static final ServerId S = ServerId.of("primary");
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private AggregateTestFixture<StorageServerAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(StorageServerAggregate.class);
    }

    private static PoolCondition pool(PoolHealth health, int capacity, Instant at) {
        return new PoolCondition(PoolName.of("primary"), health, capacity, 1 << 28, 0, 0, 0, at);
    }

    @Test
    void firstHeartbeatRegistersTheServer() {
        fixture.givenNoPriorActivity().when(new RecordHeartbeat(S, 1, T0)).expectEvents(new ServerRegistered(S, T0));
    }

    @Test
    void laterHeartbeatsAreNotStored() {
        fixture.given(new ServerRegistered(S, T0)).when(new RecordHeartbeat(S, 1, T0.plusSeconds(5))).expectNoEvents();
    }

    @Test
    void anUnchangedPoolReportIsNotStoredButAChangeIs() {
        PoolCondition online = pool(PoolHealth.ONLINE, 40, T0);
        fixture.given(new ServerRegistered(S, T0), new PoolHealthChanged(S, online))
                .when(new RecordPoolHealth(S, pool(PoolHealth.ONLINE, 40, T0.plusSeconds(10))))
                .expectNoEvents();
        PoolCondition degraded = pool(PoolHealth.DEGRADED, 40, T0.plusSeconds(20));
        fixture.given(new ServerRegistered(S, T0), new PoolHealthChanged(S, online))
                .when(new RecordPoolHealth(S, degraded))
                .expectEvents(new PoolHealthChanged(S, degraded));
    }

    @Test
    void aReportObservedBeforeTheRecordedConditionIsIgnored() {
        PoolCondition degraded = pool(PoolHealth.DEGRADED, 40, T0);
        PoolCondition online = pool(PoolHealth.ONLINE, 40, T0.plusSeconds(60));
        // replayed in order from the topic's start: yesterday's DEGRADED, then the repair, already recorded
        fixture.given(new ServerRegistered(S, T0), new PoolHealthChanged(S, degraded), new PoolHealthChanged(S, online))
                .when(new RecordPoolHealth(S, degraded))
                .expectNoEvents();
        fixture.given(new ServerRegistered(S, T0), new PoolHealthChanged(S, online))
                .when(new RecordPoolHealth(S, pool(PoolHealth.DEGRADED, 40, T0.plusSeconds(61))))
                .expectEvents(new PoolHealthChanged(S, pool(PoolHealth.DEGRADED, 40, T0.plusSeconds(61))));
    }

    @Test
    void aFailedServerIsDeclaredOnceWhateverHowOftenTheDetectorSaysSo() {
        DeclareServerFailed declare = new DeclareServerFailed(S, Set.of(Evidence.POOL_FAILED), "unheard for 9 s; pool tank FAULTED",
                T0.plusSeconds(9));
        ServerDeclaredFailed declared = new ServerDeclaredFailed(S, Set.of(Evidence.POOL_FAILED),
                "unheard for 9 s; pool tank FAULTED", T0.plusSeconds(9));
        fixture.given(new ServerRegistered(S, T0)).when(declare).expectEvents(declared);
        fixture.given(new ServerRegistered(S, T0), declared)
                .when(new DeclareServerFailed(S, Set.of(Evidence.UNREACHABLE_FROM_PEER), "again", T0.plusSeconds(11)))
                .expectNoEvents();
    }

    @Test
    void aServerThatCameBackAndFailedAgainIsDeclaredAgain() {
        Instant heard = T0.plusSeconds(1);
        ServerDeclaredFailed first = new ServerDeclaredFailed(S, Set.of(Evidence.UNREACHABLE_FROM_PEER), "gone",
                T0.plusSeconds(10), heard);
        fixture.given(new ServerRegistered(S, T0))
                .when(new DeclareServerFailed(S, Set.of(Evidence.UNREACHABLE_FROM_PEER), "gone", T0.plusSeconds(10), heard))
                .expectEvents(first);
        fixture.given(new ServerRegistered(S, T0), first)
                .when(new DeclareServerFailed(S, Set.of(Evidence.UNREACHABLE_FROM_PEER), "still", T0.plusSeconds(20), heard))
                .expectNoEvents();
        fixture.given(new ServerRegistered(S, T0), first)
                .when(new DeclareServerFailed(S, Set.of(Evidence.UNREACHABLE_FROM_PEER), "not heard since the restart",
                        T0.plusSeconds(30), null))
                .expectNoEvents();
        Instant back = T0.plusSeconds(60);
        fixture.given(new ServerRegistered(S, T0), first)
                .when(new DeclareServerFailed(S, Set.of(Evidence.POOL_FAILED), "again", T0.plusSeconds(70), back))
                .expectEvents(new ServerDeclaredFailed(S, Set.of(Evidence.POOL_FAILED), "again", T0.plusSeconds(70), back));
        ServerDeclaredFailed beforeTheField = new ServerDeclaredFailed(S, Set.of(Evidence.UNREACHABLE_FROM_PEER), "old",
                T0.plusSeconds(10));
        fixture.given(new ServerRegistered(S, T0), beforeTheField)
                .when(new DeclareServerFailed(S, Set.of(Evidence.POOL_FAILED), "heard since", T0.plusSeconds(70), back))
                .expectEvents(new ServerDeclaredFailed(S, Set.of(Evidence.POOL_FAILED), "heard since", T0.plusSeconds(70), back));
    }

    @Test
    void aServerWhosePoolIsLostIsOneOutageWhileItHeartbeatsUntilItsPoolsAreBack() {
        ServerDeclaredFailed lost = new ServerDeclaredFailed(S, Set.of(Evidence.POOL_FAILED), "pool UNAVAIL",
                T0.plusSeconds(10), T0.plusSeconds(9));
        PoolHealthChanged unavail = new PoolHealthChanged(S, pool(PoolHealth.UNAVAIL, 0, T0.plusSeconds(8)));
        // the controller restarted meanwhile: its detector saw newer heartbeats, the pool still lost
        fixture.given(new ServerRegistered(S, T0), unavail, lost)
                .when(new DeclareServerFailed(S, Set.of(Evidence.POOL_FAILED), "pool UNAVAIL", T0.plusSeconds(70),
                        T0.plusSeconds(69)))
                .expectNoEvents();
        PoolHealthChanged back = new PoolHealthChanged(S, pool(PoolHealth.ONLINE, 40, T0.plusSeconds(80)));
        fixture.given(new ServerRegistered(S, T0), unavail, lost, back)
                .when(new DeclareServerFailed(S, Set.of(Evidence.POOL_FAILED), "pool FAULTED", T0.plusSeconds(95),
                        T0.plusSeconds(94)))
                .expectEvents(new ServerDeclaredFailed(S, Set.of(Evidence.POOL_FAILED), "pool FAULTED", T0.plusSeconds(95),
                        T0.plusSeconds(94)));
    }

    @Test
    void aServerInMaintenanceIsNeverDeclaredFailed() {
        OperatorOrder alice = new OperatorOrder("alice@ops", "disk swap on Friday");
        fixture.given(new ServerRegistered(S, T0), new MaintenanceModeChanged(S, true, alice, T0.plusSeconds(5)))
                .when(new DeclareServerFailed(S, Set.of(Evidence.POOL_FAILED), "pool gone", T0.plusSeconds(20), T0))
                .expectNoEvents();
    }

    @Test
    void aServerNeverHeardCannotBeDeclaredFailed() {
        fixture.givenNoPriorActivity()
                .when(new DeclareServerFailed(S, Set.of(Evidence.FENCE_CONFIRMED), "fenced", T0))
                .expectException(Exception.class);
    }

    @Test
    void maintenanceModeIsRecordedWithWhoAndWhyOnlyWhenItChanges() {
        OperatorOrder alice = new OperatorOrder("alice@ops", "disk swap on Friday");
        MaintenanceModeChanged on = new MaintenanceModeChanged(S, true, alice, T0.plusSeconds(60));
        fixture.given(new ServerRegistered(S, T0)).when(new ChangeMaintenanceMode(S, true, alice, T0.plusSeconds(60)))
                .expectEvents(on);
        fixture.given(new ServerRegistered(S, T0), on).when(new ChangeMaintenanceMode(S, true, alice, T0.plusSeconds(90)))
                .expectNoEvents();
        fixture.given(new ServerRegistered(S, T0), on).when(new ChangeMaintenanceMode(S, false, alice, T0.plusSeconds(99)))
                .expectEvents(new MaintenanceModeChanged(S, false, alice, T0.plusSeconds(99)));
        fixture.givenNoPriorActivity().when(new ChangeMaintenanceMode(S, true, alice, T0)).expectException(Exception.class);
    }
}
