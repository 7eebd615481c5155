package io.zsentinel.deploy.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Pooled {@link javax.sql.DataSource}s for the event store (production: an external PostgreSQL,
 * {@code jdbc:postgresql://host:5432/db}; lab: the app's embedded PostgreSQL).
 */
public final class DataSources {

    /** Enough for command threads, a few processor threads and the event store's producer. */
    public static final int DEFAULT_POOL_SIZE = 10;

    private DataSources() {
    }

    /** A HikariCP pool; close it when done. Connections come out in autocommit mode. */
    public static HikariDataSource pooled(String jdbcUrl, String user, String password) {
        return pooled(jdbcUrl, user, password, DEFAULT_POOL_SIZE);
    }

    public static HikariDataSource pooled(String jdbcUrl, String user, String password, int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        config.setAutoCommit(true); // JdbcTransactions switches it off per transaction
        config.setPoolName("zsentinel-store");
        // Not Hikari's 30 s: a store that gives no connection within 5 s is down, and /health must say so promptly.
        config.setConnectionTimeout(5_000);
        // A connection held this long is almost surely leaked: Hikari logs where it was taken.
        config.setLeakDetectionThreshold(Long.getLong("zsentinel.store.leak-detection-ms", 60_000));
        return new HikariDataSource(config);
    }
}
