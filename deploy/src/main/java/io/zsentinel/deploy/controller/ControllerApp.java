package io.zsentinel.deploy.controller;

import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.store.DataSources;
import io.zsentinel.deploy.store.EmbeddedPostgresStore;
import io.zsentinel.projections.link.RetentionHolds;
import io.zsentinel.projections.web.ApiServer;
import io.zsentinel.projections.web.HealthCheck;
import io.zsentinel.projections.web.HealthEndpoint;
import io.zsentinel.projections.web.Routes;
import io.zsentinel.projections.web.ZsentinelApi;
import io.zsentinel.deploy.operator.LinkRoutes;
import io.zsentinel.deploy.operator.OperatorRoutes;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

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

    /** Runs on the configured PostgreSQL, or on an embedded one when none is configured. */
    public static ControllerApp start(ControllerConfig config, Clock clock) {
        ControllerApp app = new ControllerApp();
        try {
            DataSource dataSource;
            if (config.store().embedded()) {
                EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start(Path.of(config.store().embeddedDir()));
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
        Controller controller = Controller.start(config, dataSource, clock);
        parts.push(controller);
        HealthEndpoint health = new HealthEndpoint()
                .add("eventStore", () -> databaseCheck(dataSource))
                .add("kafka", () -> controller.kafkaReachable(Duration.ofSeconds(2))
                        ? HealthCheck.Result.up(config.kafka().bootstrap())
                        : HealthCheck.Result.down("no answer from " + config.kafka().bootstrap()))
                .add("projection", () -> HealthCheck.Result.up(controller.inventory().eventsApplied() + " events applied"));
        try {
            Routes routes = ZsentinelApi.routes(controller.inventory(), controller.fleet(), controller.audit(),
                    controller.links(), health, new RetentionHolds(controller.inventory(), controller.links(),
                            controller.reported()::usedBytes));
            new OperatorRoutes(controller.commandGateway(), clock, controller.inventory()).addTo(routes);
            new LinkRoutes(controller.commandGateway(), clock).addTo(routes);
            api = ApiServer.start(new InetSocketAddress(config.http().host(), config.http().port()), routes, 4);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve HTTP on " + config.http().host() + ":" + config.http().port()
                    + " (" + e.getMessage() + "); choose another http.port", e);
        }
        parts.push(api);
    }

    private static HealthCheck.Result databaseCheck(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2) ? HealthCheck.Result.up("reachable") : HealthCheck.Result.down("connection not valid");
        } catch (Exception e) {
            return HealthCheck.Result.down("unreachable: " + e.getMessage());
        }
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
