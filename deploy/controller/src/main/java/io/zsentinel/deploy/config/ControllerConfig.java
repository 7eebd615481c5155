package io.zsentinel.deploy.config;

import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.failover.detect.DetectorSettings;

import java.util.Objects;

/**
 * {@code zsentinel controller --config controller.yaml}. Without {@code store.url} the controller
 * runs an embedded PostgreSQL in {@code store.embeddedDir}. Example:
 * <pre>
 * kafka: { bootstrap: "10.0.0.5:9092", cell: "dc1" }
 * store: { url: "jdbc:postgresql://db:5432/zsentinel", user: zsentinel, password: secret }
 * http: { host: 0.0.0.0, port: 8080 }
 * </pre>
 */
public record ControllerConfig(KafkaConfig kafka, StoreConfig store, HttpConfig http, Integer heartbeatTimeoutSeconds,
                               RetentionConfig retention, ReplicationConfig replication) {
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
