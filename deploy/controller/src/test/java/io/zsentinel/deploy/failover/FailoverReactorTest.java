package io.zsentinel.deploy.failover;

import io.zsentinel.core.ManualClock;
import io.zsentinel.core.values.DatasetGlob;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.BeginFailover;
import io.zsentinel.failover.api.ForceFailover;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.ServerDeclaredFailed;
import io.zsentinel.failover.api.PoolCondition;
import io.zsentinel.failover.api.PoolHealthChanged;
import io.zsentinel.failover.api.RetryDemotions;
import io.zsentinel.failover.api.ServiceCommand;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.Evidence;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.failover.service.ServiceCatalogue;
import io.zsentinel.failover.service.ServiceDefinition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A declared failure starts the failover of each service naming the server, with the lease's end and the window. */
class FailoverReactorTest {
    static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
    static final ServerId PRIMARY = ServerId.of("primary");
    static final ServerId STANDBY = ServerId.of("standby");
    static final ServerId OTHER = ServerId.of("other");
    static final ServiceDefinition VM = new ServiceDefinition(ServiceName.of("vm"), DatasetGlob.of("primary/vm*"),
            PRIMARY, List.of(STANDBY), null, null, null, null);
    static final ServiceDefinition DB = new ServiceDefinition(ServiceName.of("db"), DatasetGlob.of("other/db"),
            OTHER, List.of(STANDBY), null, null, null, null);

    final ManualClock clock = new ManualClock(T0.plusSeconds(10));
    final FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
    final List<ServiceCommand> sent = new ArrayList<>();
    final FailoverReactor reactor = new FailoverReactor(new ServiceCatalogue(List.of(VM, DB)),
            new Situations(detector, List::of, id -> List.of(), List::of), Duration.ofSeconds(15), Duration.ofMinutes(5),
            sent::add, clock);

    ServerDeclaredFailed declared(ServerId server) {
        return new ServerDeclaredFailed(server, Set.of(Evidence.UNREACHABLE_FROM_PEER), "silent and unreachable",
                T0.plusSeconds(9));
    }

    @Test
    void eachServiceNamingTheFailedServerGetsABeginFailover() {
        detector.heartbeat(PRIMARY, T0);
        reactor.on(declared(PRIMARY));
        assertEquals(1, sent.size());
        BeginFailover begin = (BeginFailover) sent.get(0);
        assertEquals(VM.name(), begin.service());
        assertEquals(PRIMARY, begin.situation().failedPrimary());
        assertEquals(T0.plusSeconds(15), begin.leaseLapsesAt(), "last heartbeat + lease + margin");

        sent.clear();
        reactor.on(new ServerDeclaredFailed(PRIMARY, Set.of(Evidence.POOL_FAILED), "pool faulted", T0.plusSeconds(9),
                T0.minusSeconds(3)));
        assertEquals(T0.plusSeconds(12), ((BeginFailover) sent.get(0)).leaseLapsesAt(), "from the last heartbeat the declaration names");
        assertEquals(Duration.ofMinutes(5), begin.window());
        assertNull(begin.force());

        sent.clear();
        reactor.on(declared(STANDBY));
        assertEquals(List.of(VM.name(), DB.name()), sent.stream().map(ServiceCommand::service).toList(),
                "a standby's services are asked too: each decides whether it is their primary now");
    }

    @Test
    void aPoolServingAgainHasEveryServiceOfItsServerOrderItsPendingDemotionsAgain() {
        reactor.on(new PoolHealthChanged(STANDBY, condition(PoolHealth.ONLINE)));
        assertEquals(List.of(new RetryDemotions(VM.name(), STANDBY, "pool standby of standby is ONLINE", clock.instant()),
                new RetryDemotions(DB.name(), STANDBY, "pool standby of standby is ONLINE", clock.instant())), sent);
        sent.clear();
        reactor.on(new PoolHealthChanged(PRIMARY, condition(PoolHealth.DEGRADED)));
        assertEquals(List.of(VM.name()), sent.stream().map(ServiceCommand::service).toList());
        sent.clear();
        reactor.on(new PoolHealthChanged(PRIMARY, condition(PoolHealth.UNAVAIL)));
        reactor.on(new PoolHealthChanged(PRIMARY, condition(PoolHealth.FAULTED)));
        reactor.on(new PoolHealthChanged(ServerId.of("lonely"), condition(PoolHealth.ONLINE)));
        assertEquals(List.of(), sent, "a pool that cannot serve, or a server of no service: nothing to order");
    }

    static PoolCondition condition(PoolHealth health) {
        return new PoolCondition(new PoolName("standby"), health, 10, 1L << 30, 0, 0, 0, T0);
    }

    @Test
    void aServerOfNoServiceStartsNothing() {
        reactor.on(declared(ServerId.of("lonely")));
        assertEquals(List.of(), sent);
    }

    @Test
    void anOperatorsForceIsTheSameDecisionForced() {
        ForceFailover order = new ForceFailover(VM.name(), STANDBY, new OperatorOrder("alice@ops", "planned test"));
        BeginFailover begin = reactor.forced(order, PRIMARY);
        assertEquals(order, begin.force());
        assertEquals(clock.instant().plusSeconds(15), begin.leaseLapsesAt(), "never heard: from now");
    }
}
