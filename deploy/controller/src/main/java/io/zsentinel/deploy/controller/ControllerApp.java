package io.zsentinel.deploy.controller;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.zsentinel.core.kafka.ConsumerLoopStatus;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.store.DataSources;
import io.zsentinel.deploy.store.OwnedDatabase;
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

/** The controller with its store and its HTTP API, as {@code zsentinel controller} runs it. */
public final class ControllerApp implements AutoCloseable {
    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private ApiServer api;

    private ControllerApp() {
    }

    /** Runs on {@code dataSource}, which the caller owns. */
    public static ControllerApp start(ControllerConfig config, DataSource dataSource, Clock clock) {
        ControllerApp app = new ControllerApp();
        try {
            app.startOn(config, dataSource, clock);
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
            if (config.store().embedded()) {
                OwnedDatabase postgres = embedded.apply(Path.of(config.store().embeddedDir()));
                app.parts.push(postgres);
                dataSource = postgres.dataSource();
            } else {
                var pooled = DataSources.pooled(config.store().url(), config.store().user(), config.store().password());
                app.parts.push(pooled);
                dataSource = pooled;
            }
            app.startOn(config, dataSource, clock);
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    private void startOn(ControllerConfig config, DataSource dataSource, Clock clock) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        parts.push(ControllerMetrics.jvm(meters));
        Controller controller = Controller.start(config, dataSource, clock, meters);
        parts.push(controller);
        // Ready means: the store and the broker answer, every view has applied what the store holds and
        // the consumer of agent facts is assigned, polling and caught up (README "What /health means").
        HealthEndpoint health = new HealthEndpoint(clock)
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
        try {
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
            api = ApiServer.start(new InetSocketAddress(config.http().host(), config.http().port()), routes, 4,
                    health::notReady);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve HTTP on " + config.http().host() + ":" + config.http().port()
                    + " (" + e.getMessage() + "); choose another http.port", e);
        }
        parts.push(api);
    }

    /** A loop that made no progress (no poll, no record finished) for this long is stuck. */
    static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    private static HealthCheck.Result consumerCheck(ConsumerLoopStatus status, Clock clock) {
        return status.notReady(clock.instant(), STUCK_AFTER).map(HealthCheck.Result::down)
                .orElseGet(() -> HealthCheck.Result.up("assigned " + status.assignedPartitions()
                        + " partition(s), caught up (lag " + status.lag() + "), " + status.deadLettered()
                        + " record(s) dead-lettered"));
    }

    public int httpPort() {
        return api.port();
    }

    @Override
    public void close() {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(ControllerApp.class).warn("controller part did not close cleanly: {}", e.toString());
            }
        }
    }
}
