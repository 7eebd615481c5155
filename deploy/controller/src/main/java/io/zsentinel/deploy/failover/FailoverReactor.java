package io.zsentinel.deploy.failover;

import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.BeginFailover;
import io.zsentinel.failover.api.BeginSwitchover;
import io.zsentinel.failover.api.ForceFailover;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.PoolHealthChanged;
import io.zsentinel.failover.api.RetryDemotions;
import io.zsentinel.failover.api.ServerDeclaredFailed;
import io.zsentinel.failover.api.ServiceCommand;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.service.ServiceCatalogue;
import io.zsentinel.failover.service.ServiceDefinition;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Starts the failover of every service whose server was declared failed: each service that names the server (as
 * its configured primary or a standby: the service decides whether the server is its primary now) gets a
 * {@link BeginFailover} with the situation as the controller sees it, the moment the failed server's lease has
 * certainly lapsed (its last heartbeat, the agents' lease and a margin) and the failover's window.
 * <p>
 * On a processor of its own whose token is in the store, starting at the store's head: a declaration is acted on
 * once, again only when the controller stopped before its token moved on (the service then ignores the second
 * BeginFailover: its failover already runs), and a new controller does not act on old declarations.
 */
@DisallowReplay
public final class FailoverReactor {
    public static final String PROCESSOR = "failover-reactor";
    private static final Logger log = LoggerFactory.getLogger(FailoverReactor.class);

    private final ServiceCatalogue services;
    private final Situations situations;
    private final Duration leaseAndMargin;
    private final Duration window;
    private final Consumer<ServiceCommand> send;
    private final Clock clock;
    /** Each pool's last health seen (SERVER/POOL), so that only a pool coming back orders demotions again. */
    private final java.util.Map<String, PoolHealth> lastHealth = new java.util.HashMap<>();

    /**
     * {@code leaseAndMargin}: how long after its last heartbeat a failed primary has certainly demoted itself (the
     * agents' lease and a margin); {@code window}: how long a failover may take before it is aborted.
     */
    public FailoverReactor(ServiceCatalogue services, Situations situations, Duration leaseAndMargin, Duration window,
                           Consumer<ServiceCommand> send, Clock clock) {
        this.services = services;
        this.situations = situations;
        this.leaseAndMargin = leaseAndMargin;
        this.window = window;
        this.send = send;
        this.clock = clock;
    }

    @EventHandler
    public void on(ServerDeclaredFailed e) {
        List<ServiceDefinition> affected = services.services().stream()
                .filter(s -> s.primary().equals(e.server()) || s.standbys().contains(e.server())).toList();
        if (affected.isEmpty()) {
            log.info("{} declared failed; it serves no configured service, so nothing fails over", e.server());
        }
        for (ServiceDefinition service : affected) {
            send.accept(begin(service, e.server(), null, e.lastHeard()));
        }
    }

    /**
     * A pool of {@code e.server()} serves again (ONLINE or DEGRADED, back from gone or faulted, or first seen since this
     * controller started): each service that may live on it orders again the demotions that server has not carried
     * out. A former primary whose pool was gone when its demotion came refused it, and its copies, imported again,
     * would otherwise be writable beside the new primary's. A service with nothing pending for it ignores the order;
     * a change of capacity or error counts of a pool that served already orders nothing.
     */
    @EventHandler
    public void on(PoolHealthChanged e) {
        PoolHealth health = e.condition().health();
        PoolHealth before = lastHealth.put(e.server().value() + "/" + e.condition().pool(), health);
        if (!serves(health) || (before != null && serves(before))) {
            return; // a pool that cannot serve, or one that served already (a capacity or error count changed)
        }
        String why = "pool " + e.condition().pool() + " of " + e.server() + " is " + health;
        for (ServiceDefinition service : services.services()) {
            if (service.primary().equals(e.server()) || service.standbys().contains(e.server())) {
                send.accept(new RetryDemotions(service.name(), e.server(), why, clock.instant()));
            }
        }
    }

    private static boolean serves(PoolHealth health) {
        return health == PoolHealth.ONLINE || health == PoolHealth.DEGRADED;
    }

    /** An operator's order ({@code zsentinel failover force}): the same decision, forced. */
    public BeginFailover forced(ForceFailover order, ServerId from) {
        ServiceDefinition service = services.named(order.service()).orElseThrow(() -> new IllegalArgumentException(
                "no service " + order.service() + " in controller.yaml"));
        return begin(service, from, order, null);
    }

    /**
     * An operator's planned switchover of {@code service}, served by {@code from}, to {@code to}: the situation as the
     * controller sees it now; a standby whose newest common snapshot is older than the service's {@code maxDataLoss}
     * lags too much to switch to (what is left to send must fit the bound).
     */
    public BeginSwitchover switchover(ServiceName name, ServerId from, ServerId to, OperatorOrder by) {
        ServiceDefinition service = services.named(name).orElseThrow(() -> new IllegalArgumentException(
                "no service " + name + " in controller.yaml"));
        return new BeginSwitchover(name, to, by, situations.of(service, from, null, clock.instant()),
                service.maxDataLoss(), window);
    }

    /** {@code lastHeard}: the failed server's last heartbeat as declared (null: the detector's, or now if never heard). */
    private BeginFailover begin(ServiceDefinition service, ServerId from, ForceFailover force, Instant lastHeard) {
        Instant now = clock.instant();
        Instant lapses = lastHeard != null ? lastHeard.plus(leaseAndMargin) : situations.leaseLapsesAt(from, leaseAndMargin, now);
        return new BeginFailover(service.name(), situations.of(service, from, null, now), force, lapses, window);
    }
}
