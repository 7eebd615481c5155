package io.zsentinel.deploy.config;

import io.zsentinel.core.config.ConfigProblem;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.values.DatasetGlob;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.service.ServiceCatalogue;
import io.zsentinel.failover.service.ServiceDefinition;

import java.util.List;

import java.util.Objects;

/**
 * {@code zsentinel controller --config controller.yaml}. Without {@code store.url} the controller
 * runs an embedded PostgreSQL in {@code store.embeddedDir}. Example:
 * <pre>
 * kafka: { bootstrap: "10.0.0.5:9092", cell: "dc1" }
 * store: { url: "jdbc:postgresql://db:5432/zsentinel", user: zsentinel, password: secret }
 * http: { host: 0.0.0.0, port: 8080 }
 * services: [ ... ]   # see ServiceConfig
 * failover: { leaseSeconds: 10, leaseMarginSeconds: 5, windowSeconds: 300 }   # see FailoverConfig
 * controllerLease: { renewSeconds: 2, ttlSeconds: 10 }   # see ControllerLeaseConfig
 * </pre>
 */
public record ControllerConfig(KafkaConfig kafka, StoreConfig store, HttpConfig http, Integer heartbeatTimeoutSeconds,
                               RetentionConfig retention, ReplicationConfig replication, List<ServiceConfig> services,
                               FailoverConfig failover, ControllerLeaseConfig controllerLease) {
    public ControllerConfig(KafkaConfig kafka, StoreConfig store, HttpConfig http, Integer heartbeatTimeoutSeconds,
                            RetentionConfig retention, ReplicationConfig replication, List<ServiceConfig> services,
                            FailoverConfig failover) {
        this(kafka, store, http, heartbeatTimeoutSeconds, retention, replication, services, failover, null);
    }

    public ControllerConfig(KafkaConfig kafka, StoreConfig store, HttpConfig http, Integer heartbeatTimeoutSeconds,
                            RetentionConfig retention, ReplicationConfig replication, List<ServiceConfig> services) {
        this(kafka, store, http, heartbeatTimeoutSeconds, retention, replication, services, null);
    }

    public ControllerConfig(KafkaConfig kafka, StoreConfig store, HttpConfig http, Integer heartbeatTimeoutSeconds,
                            RetentionConfig retention, ReplicationConfig replication) {
        this(kafka, store, http, heartbeatTimeoutSeconds, retention, replication, null);
    }

    public ControllerConfig(KafkaConfig kafka, StoreConfig store, HttpConfig http, Integer heartbeatTimeoutSeconds) {
        this(kafka, store, http, heartbeatTimeoutSeconds, null, null);
    }

    public ControllerConfig(KafkaConfig kafka, StoreConfig store, HttpConfig http, Integer heartbeatTimeoutSeconds,
                            RetentionConfig retention) {
        this(kafka, store, http, heartbeatTimeoutSeconds, retention, null);
    }

    public ControllerConfig {
        Objects.requireNonNull(kafka, "kafka is required");
        store = store == null ? new StoreConfig(null, null, null, null) : store;
        http = http == null ? new HttpConfig(null, null) : http;
        heartbeatTimeoutSeconds = heartbeatTimeoutSeconds == null
                ? (int) DetectorSettings.DEFAULTS.heartbeatTimeout().toSeconds() : heartbeatTimeoutSeconds;
        retention = retention == null ? RetentionConfig.none() : retention;
        replication = replication == null ? ReplicationConfig.none() : replication;
        services = services == null ? List.of() : List.copyOf(services);
        failover = failover == null ? FailoverConfig.defaults() : failover;
        controllerLease = controllerLease == null ? ControllerLeaseConfig.defaults() : controllerLease;
        checkServices(services, replication); // refused at load, with the line of the service
    }

    /** The services, checked together ({@link ServiceCatalogue}). */
    public ServiceCatalogue serviceCatalogue() {
        return new ServiceCatalogue(services.stream().map(ServiceConfig::definition).toList());
    }

    /**
     * No two services claim one dataset, and every standby is a replication target of its service's datasets: a
     * {@code replication.links} rule sends them (its {@code match} covers the service's {@code datasets}, from the
     * primary or any server) to that standby, else it would have no copy to serve.
     */
    private static void checkServices(List<ServiceConfig> services, ReplicationConfig replication) {
        ServiceCatalogue catalogue;
        try {
            catalogue = new ServiceCatalogue(services.stream().map(ServiceConfig::definition).toList());
        } catch (ServiceCatalogue.ServiceConflict e) {
            throw new ConfigProblem("name", e.service().value(), null, e.getMessage(), e);
        }
        for (ServiceDefinition s : catalogue.services()) {
            for (ServerId standby : s.standbys()) {
                boolean replicated = replication.links().stream().anyMatch(r -> r.targetServer().equals(standby.value())
                        && (r.server() == null || r.server().equals(s.primary().value()))
                        && s.datasets().coveredBy(DatasetGlob.of(r.match())));
                if (!replicated) {
                    throw new ConfigProblem("name", s.name().value(), "standbys", "service " + s.name() + ": standby "
                            + standby + " is not a replication target of " + s.datasets() + " on " + s.primary()
                            + ", so it would have no copy to serve; add a replication.links rule (match: \""
                            + s.datasets() + "\", targetServer: " + standby + ") or remove it from standbys");
                }
            }
        }
    }

    public record StoreConfig(String url, String user, String password, String embeddedDir) {
        public StoreConfig {
            if (url != null && !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("store.url must be a jdbc:postgresql: URL, not " + url);
            }
            embeddedDir = embeddedDir == null ? "zsentinel-data/postgres" : embeddedDir;
        }

        public boolean embedded() {
            return url == null;
        }
    }

    public record HttpConfig(String host, Integer port) {
        public HttpConfig {
            host = host == null ? "127.0.0.1" : host;
            port = port == null ? 8080 : port;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("http.port must be 0..65535, not " + port);
            }
        }
    }
}
