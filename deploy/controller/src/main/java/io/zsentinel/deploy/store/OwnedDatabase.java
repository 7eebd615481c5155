package io.zsentinel.deploy.store;

import javax.sql.DataSource;

/**
 * A PostgreSQL the controller stops when it stops: the embedded one the app starts (module app) when the
 * configuration names no {@code store.url}. The controller module itself has no embedded PostgreSQL.
 */
public interface OwnedDatabase extends AutoCloseable {

    /** A pool owned by the database, closed with it. */
    DataSource dataSource();

    @Override
    void close();
}
