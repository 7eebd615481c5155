package io.zsentinel.deploy.failover;

import io.zsentinel.deploy.controller.Ticker;
import io.zsentinel.failover.api.CheckFailover;
import io.zsentinel.failover.api.RegisterService;
import io.zsentinel.failover.api.ServiceCommand;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.service.ServiceCatalogue;
import io.zsentinel.failover.service.ServiceDefinition;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The controller's clock for the Service aggregates. At the start it registers every configured service (only a
 * service's first registration is recorded; a later change of its configured primary moves nothing). Then, every
 * {@link #EVERY}, it tells each service with a running failover the time ({@link CheckFailover}): that is how a
 * failover waiting for a lease goes on, and how its deadline, stored in its {@code FailoverStarted}, fires even after
 * a controller restart, without a deadline manager. The decisions are the aggregate's; this only ticks and sends. A
 * registration that fails (the store is down) is tried again at the next tick.
 */
public final class ServiceTicker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceTicker.class);
    /** How often a running failover is told the time: a lease or a deadline is acted on at most this late. */
    public static final Duration EVERY = Duration.ofSeconds(1);

    private final ServiceCatalogue services;
    private final Supplier<List<ServiceName>> running;
    private final CommandGateway commands;
    private final Clock clock;
    private final Set<ServiceName> unregistered = new LinkedHashSet<>();
    /** The last failure per service, so that one failing every second is logged once, and its recovery too. */
    private final Map<ServiceName, String> failing = new HashMap<>();
    private final Ticker ticker = new Ticker("failover-ticker");

    /** {@code running}: the services whose failover runs now (the services view's, rebuilt from the store at a start). */
    public ServiceTicker(ServiceCatalogue services, Supplier<List<ServiceName>> running, CommandGateway commands,
                         Clock clock) {
        this.services = services;
        this.running = running;
        this.commands = commands;
        this.clock = clock;
        services.services().forEach(s -> unregistered.add(s.name()));
    }

    /** Registers the services now, then ticks every {@link #EVERY}. */
    public ServiceTicker start() {
        register();
        ticker.every(EVERY, this::tick);
        log.info("failover: {} services registered, running failovers checked every {} s", services.services().size(),
                EVERY.toSeconds());
        return this;
    }

    public synchronized void tick() {
        register();
        for (ServiceName service : running.get()) {
            send(service, new CheckFailover(service, clock.instant()), "checking its running failover");
        }
    }

    private synchronized void register() {
        for (ServiceDefinition s : services.services()) {
            if (unregistered.contains(s.name()) && send(s.name(), new RegisterService(s.name(), s.primary(), s.standbys(),
                    clock.instant()), "registering it")) {
                unregistered.remove(s.name());
            }
        }
    }

    private boolean send(ServiceName service, ServiceCommand command, String what) {
        try {
            commands.sendAndWait(command);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(failing.put(service, String.valueOf(e.getMessage())))) {
                log.warn("service {}: {} failed, tried again every {} s: {}", service, what, EVERY.toSeconds(),
                        e.getMessage());
            }
            return false;
        }
        if (failing.remove(service) != null) {
            log.info("service {}: {} works again", service, what);
        }
        return true;
    }

    @Override
    public void close() {
        ticker.close();
    }
}
