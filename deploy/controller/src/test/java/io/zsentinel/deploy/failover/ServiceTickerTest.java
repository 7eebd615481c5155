package io.zsentinel.deploy.failover;

import io.zsentinel.core.values.DatasetGlob;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.CheckFailover;
import io.zsentinel.failover.api.RegisterService;
import io.zsentinel.failover.api.ServiceCommand;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.service.ServiceCatalogue;
import io.zsentinel.failover.service.ServiceDefinition;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Services registered at the start (again until it works), running failovers told the time at every tick. */
class ServiceTickerTest {
    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    static final ServiceName VM = ServiceName.of("vm-storage");
    static final ServiceName DB = ServiceName.of("db-storage");
    static final ServerId PRIMARY = ServerId.of("primary");
    static final ServerId STANDBY = ServerId.of("standby");
    static final ServiceCatalogue SERVICES = new ServiceCatalogue(List.of(
            new ServiceDefinition(VM, DatasetGlob.of("tank/vm*"), PRIMARY, List.of(STANDBY), Duration.ofMinutes(15), null, null, null),
            new ServiceDefinition(DB, DatasetGlob.of("tank/db*"), PRIMARY, List.of(STANDBY), null, null, null, null)));

    final List<ServiceCommand> sent = Collections.synchronizedList(new ArrayList<>());
    /** Services whose commands the gateway refuses (the store is down). */
    final Set<ServiceName> refusing = new HashSet<>();
    final List<ServiceName> running = new ArrayList<>();
    final ServiceTicker ticker = new ServiceTicker(SERVICES, () -> List.copyOf(running), gateway(),
            Clock.fixed(T0, ZoneOffset.UTC));

    CommandGateway gateway() {
        return (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CommandGateway.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendAndWait") && args.length == 1) {
                        ServiceCommand command = (ServiceCommand) args[0];
                        if (refusing.contains(command.service())) {
                            throw new IllegalStateException("store down");
                        }
                        sent.add(command);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void everyConfiguredServiceIsRegisteredOnceAtItsConfiguredPrimary() {
        ticker.tick();
        ticker.tick();
        assertEquals(List.of(new RegisterService(VM, PRIMARY, List.of(STANDBY), T0),
                new RegisterService(DB, PRIMARY, List.of(STANDBY), T0)), sent);
    }

    @Test
    void aRegistrationThatFailedIsTriedAgainAtTheNextTick() {
        refusing.add(DB);
        ticker.tick();
        assertEquals(List.of(new RegisterService(VM, PRIMARY, List.of(STANDBY), T0)), sent);
        refusing.clear();
        ticker.tick();
        assertEquals(List.of(new RegisterService(VM, PRIMARY, List.of(STANDBY), T0),
                new RegisterService(DB, PRIMARY, List.of(STANDBY), T0)), sent);
    }

    @Test
    void onlyServicesWithARunningFailoverAreToldTheTimeAtEveryTick() {
        ticker.tick();
        sent.clear();
        ticker.tick();
        assertEquals(List.of(), sent);
        running.add(VM);
        ticker.tick();
        ticker.tick();
        assertEquals(List.of(new CheckFailover(VM, T0), new CheckFailover(VM, T0)), sent);
        refusing.add(VM); // a failing check does not stop the ticker
        running.add(DB);
        ticker.tick();
        assertEquals(new CheckFailover(DB, T0), sent.get(sent.size() - 1));
    }
}
