package io.zsentinel.deploy.controller;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.zsentinel.core.kafka.ConsumerLoopStatus;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.store.DataSources;
import io.zsentinel.deploy.store.OwnedDatabase;
import io.zsentinel.deploy.lease.ControllerLease;
import io.zsentinel.deploy.lease.LeaseKeeper;
import io.zsentinel.projections.web.ApiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.zsentinel.projections.metrics.ConsumerLoopMetrics;
import io.zsentinel.projections.metrics.MetricsEndpoint;
import io.zsentinel.projections.metrics.ServiceMetrics;
import io.zsentinel.projections.link.RetentionHolds;
import io.zsentinel.projections.web.ApiServer;
import io.zsentinel.projections.web.HealthCheck;
import io.zsentinel.projections.web.HealthEndpoint;
import io.zsentinel.projections.web.Routes;
import io.zsentinel.projections.web.ServiceRoutes;
import io.zsentinel.projections.web.ZsentinelApi;
import io.zsentinel.deploy.operator.FailoverRoutes;
import io.zsentinel.deploy.operator.ApiDocumentRoute;
import io.zsentinel.deploy.operator.HistoryRoutes;
import io.zsentinel.deploy.operator.StateRoutes;
import io.zsentinel.deploy.operator.LinkRoutes;
import io.zsentinel.deploy.operator.MaintenanceRoutes;
import io.zsentinel.deploy.operator.RejoinRoutes;
import io.zsentinel.deploy.operator.OperatorRoutes;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * The controller with its store and its HTTP API, as {@code zsentinel controller} runs it. Several may run for one
 * cell: the one holding the cell's lease ({@link LeaseKeeper}) is active, the others serve only a 503
 * {@code /health} saying who is active, and take over when the lease lapses.
 */
public final class ControllerApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControllerApp.class);

    /** What the app owns for its whole life (the store it started). */
    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    /** What runs while this controller holds the lease (the controller, its metrics, its API); null while standby. */
    private Deque<AutoCloseable> active;
    private ApiServer api;
    private LeaseKeeper keeper;
    private volatile java.util.List<String> activeRoutes = java.util.List.of();
    private ControllerConfig config;
    private DataSource dataSource;
    private Clock clock;
    private int port;
    private boolean closing;

    private ControllerApp() {
    }

    /** Runs on {@code dataSource}, which the caller owns. */
    public static ControllerApp start(ControllerConfig config, DataSource dataSource, Clock clock) {
        ControllerApp app = new ControllerApp();
        try {
            app.startOn(config, dataSource, dataSource, clock);
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    /**
     * Runs on the configured PostgreSQL, or, when none is configured, on the one {@code embedded} starts in
     * {@code store.embeddedDir} (the app's embedded PostgreSQL), which it stops when it stops.
     */
    public static ControllerApp start(ControllerConfig config, Function<Path, ? extends OwnedDatabase> embedded,
                                      Clock clock) {
        ControllerApp app = new ControllerApp();
        try {
            DataSource dataSource;
            DataSource leaseDataSource;
            if (config.store().embedded()) {
                OwnedDatabase postgres = embedded.apply(Path.of(config.store().embeddedDir()));
                app.parts.push(postgres);
                dataSource = postgres.dataSource();
                leaseDataSource = dataSource;
            } else {
                var pooled = DataSources.pooled(config.store().url(), config.store().user(), config.store().password());
                app.parts.push(pooled);
                dataSource = pooled;
                // the lease's own connections: a renewal never waits behind a store pool busy with a burst of facts
                var leasePool = DataSources.pooled(config.store().url(), config.store().user(),
                        config.store().password(), LEASE_CONNECTIONS);
                app.parts.push(leasePool);
                leaseDataSource = leasePool;
            }
            app.startOn(config, dataSource, leaseDataSource, clock);
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    /** Connections of the lease's own pool (a renewal or an ask at a time, and one to spare). */
    static final int LEASE_CONNECTIONS = 2;

    private void startOn(ControllerConfig config, DataSource dataSource, DataSource leaseDataSource, Clock clock) {
        this.config = config;
        this.dataSource = dataSource;
        this.clock = clock;
        this.port = config.http().port();
        ControllerLease lease = new ControllerLease(leaseDataSource, config.kafka().cell(),
                config.controllerLease().ttl()).createTable();
        keeper = new LeaseKeeper(lease, config.controllerLease().holder(), config.controllerLease().renewEvery(),
                new LeaseKeeper.Roles() {
                    @Override
                    public void active(long epoch) {
                        activate(epoch);
                    }

                    @Override
                    public void passive(String why) {
                        deactivate(why);
                    }
                });
        keeper.start(); // active before this returns when the lease is free
        serveStandby();
    }

    /**
     * This controller took the lease: the standby's API goes, the controller starts with every agent command guarded
     * by the lease, and the full API serves on the same port.
     */
    private synchronized void activate(long epoch) {
        if (closing) {
            return;
        }
        long started = System.nanoTime();
        closeApi();
        Deque<AutoCloseable> running = new ArrayDeque<>();
        try {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            running.push(ControllerMetrics.jvm(meters));
            Controller controller = Controller.start(config, dataSource, clock, meters, keeper.at(epoch));
            running.push(controller);
            running.push(serveActive(controller, meters));
        } catch (RuntimeException e) {
            closeAll(running);
            log.error("controller {} holds the lease at epoch {} but could not start; it gives the lease up",
                    keeper.holder(), epoch, e);
            keeper.resign("this controller could not start: " + e.getMessage());
            serveStandby();
            return;
        }
        active = running;
        log.info("controller {} active at epoch {} (started in {} ms)", keeper.holder(), epoch,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** This controller lost (or gave up) the lease: everything that orders agents or reads their facts stops. */
    private synchronized void deactivate(String why) {
        if (active != null) {
            closeAll(active);
            active = null;
            api = null; // it was one of the active parts
            log.info("controller {} stopped its active parts: {}", keeper.holder(), why);
        }
        if (!closing) {
            serveStandby();
        }
    }

    private synchronized void serveStandby() {
        if (api != null || closing) {
            return;
        }
        Routes routes = new Routes().get("/health", request -> ApiResponse.json(503, new StandbyHealth("STANDBY",
                java.util.Map.of(CONTROLLER_CHECK, HealthCheck.Result.down(keeper.status().detail())))));
        api = listen(routes, java.util.Optional::empty);
    }

    /** {@code GET /health} of a standby: 503 (a load balancer sends nothing here), saying who is active. */
    record StandbyHealth(String status, java.util.Map<String, HealthCheck.Result> checks) {
    }

    /** The /health check that says whether this controller is the active one, at which epoch. */
    static final String CONTROLLER_CHECK = "controller";

    private ApiServer serveActive(Controller controller, PrometheusMeterRegistry meters) {
        // Ready means: this controller holds the lease, the store and the broker answer, every view has applied
        // what the store holds and the consumer of agent facts is assigned, polling and caught up (README "What
        // /health means").
        HealthEndpoint health = new HealthEndpoint(clock)
                .add(CONTROLLER_CHECK, () -> {
                    LeaseKeeper.Status status = keeper.status();
                    return status.active() ? HealthCheck.Result.up(status.detail() + " (" + keeper.holder() + ")")
                            : HealthCheck.Result.down(status.detail());
                })
                .add("eventStore", () -> controller.storeProblem(Duration.ofSeconds(2))
                        .map(HealthCheck.Result::down).orElseGet(() -> HealthCheck.Result.up("reachable")))
                .add("kafka", () -> controller.kafkaReachable(Duration.ofSeconds(2))
                        ? HealthCheck.Result.up(config.kafka().bootstrap())
                        : HealthCheck.Result.down("no answer from " + config.kafka().bootstrap()))
                // Checks run in this order: the consumer before the views. A fact the consumer has applied
                // before it says "caught up" is in the store, so a head read after that includes its event;
                // the other way round, a fact applied between the two checks made /health 200 before its event
                // reached the views (seen once, ControllerHealthEndToEndIT under load).
                .add("agentEvents", () -> consumerCheck(controller.agentEventsStatus(), clock))
                .add("liveness", () -> controller.livenessStatus().map(status -> consumerCheck(status, clock))
                        .orElseGet(() -> HealthCheck.Result.up("read with the other agent facts")))
                .add("views", controller::viewsCheck);
        RetentionHolds holds = new RetentionHolds(controller.inventory(), controller.links(),
                controller.reported()::usedBytes);
        MetricsEndpoint metrics = new MetricsEndpoint(controller.links(), controller.fleet(), controller.inventory(), holds,
                meters)
                .also(new ConsumerLoopMetrics(() -> java.util.stream.Stream.concat(java.util.stream.Stream.of(controller.agentEventsStatus()),
                        controller.livenessStatus().stream()).toList(), clock, STUCK_AFTER))
                .also(new ServiceMetrics(controller.services()));
        Routes routes = ZsentinelApi.routes(controller.inventory(), controller.fleet(), controller.audit(),
                controller.links(), health, holds, metrics);
        OperatorRoutes operator = new OperatorRoutes(controller.commandGateway(), clock, controller.inventory());
        operator.addTo(routes);
        new MaintenanceRoutes(controller.commandGateway(), clock, operator).addTo(routes);
        new LinkRoutes(controller.commandGateway(), clock).addTo(routes);
        new ServiceRoutes(controller.services()).addTo(routes);
        new FailoverRoutes(controller.commandGateway(), controller.services(), controller.failoverReactor(), clock)
                .addTo(routes);
        new RejoinRoutes(controller.commandGateway(), controller.rejoins(), controller.rescues(),
                controller.inventory()::snapshots, clock).addTo(routes);
        new HistoryRoutes(controller::eventStore, DomainTypes.all()).addTo(routes);
        new StateRoutes(controller::eventStore, new io.zsentinel.failover.detect.DetectorSettings(
                java.time.Duration.ofSeconds(config.heartbeatTimeoutSeconds()))).addTo(routes);
        new ApiDocumentRoute().addTo(routes);
        activeRoutes = routes.list();
        api = listen(routes, health::notReady);
        return api;
    }

    /** Binds the configured port the first time, then the port it got: a standby that takes over answers where it did. */
    private ApiServer listen(Routes routes, java.util.function.Supplier<java.util.Optional<String>> staleness) {
        try {
            ApiServer server = ApiServer.start(new InetSocketAddress(config.http().host(), port), routes, 4, staleness);
            port = server.port();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve HTTP on " + config.http().host() + ":" + port
                    + " (" + e.getMessage() + "); choose another http.port", e);
        }
    }

    private void closeApi() {
        if (api != null) {
            api.close();
            api = null;
        }
    }

    /** {@code METHOD /template} of every route the active API serves (empty before the first activation). */
    public java.util.List<String> activeRoutes() {
        return activeRoutes;
    }

    /** What this controller knows of the cell's lease: active or standby, the epoch, who holds it. */
    public LeaseKeeper.Status lease() {
        return keeper.status();
    }

    /** True while this controller holds the lease and runs. */
    public synchronized boolean active() {
        return active != null;
    }

    /** A loop that made no progress (no poll, no record finished) for this long is stuck. */
    static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    private static HealthCheck.Result consumerCheck(ConsumerLoopStatus status, Clock clock) {
        return status.notReady(clock.instant(), STUCK_AFTER).map(HealthCheck.Result::down)
                .orElseGet(() -> HealthCheck.Result.up("assigned " + status.assignedPartitions()
                        + " partition(s), caught up (lag " + status.lag() + "), " + status.deadLettered()
                        + " record(s) dead-lettered"));
    }

    public synchronized int httpPort() {
        return port;
    }

    /** Stops, giving the lease up first so that a standby takes over at once. */
    @Override
    public void close() {
        stop(true);
    }

    /**
     * Stops without giving the lease up, as a killed controller would: a standby takes over only when it lapses
     * (for tests of a takeover).
     */
    public void abandon() {
        stop(false);
    }

    private void stop(boolean releaseLease) {
        synchronized (this) {
            closing = true;
        }
        if (keeper != null) { // stops the active parts, then (on close) releases the lease
            if (releaseLease) {
                keeper.close();
            } else {
                keeper.abandon();
            }
        }
        synchronized (this) {
            if (active != null) {
                closeAll(active);
                active = null;
                api = null;
            }
            closeApi();
        }
        closeAll(parts);
    }

    private static void closeAll(Deque<AutoCloseable> closeables) {
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception e) {
                log.warn("controller part did not close cleanly: {}", e.toString());
            }
        }
    }
}
