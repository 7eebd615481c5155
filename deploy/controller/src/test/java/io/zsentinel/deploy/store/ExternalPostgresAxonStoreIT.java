package io.zsentinel.deploy.store;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import javax.sql.DataSource;

/**
 * The event-store contract on an external PostgreSQL (Debian's in CI): runs only when
 * {@code ZSENTINEL_TEST_PG_URL} (plus {@code ZSENTINEL_TEST_PG_USER}/{@code _PASSWORD}) is set.
 */
class ExternalPostgresAxonStoreIT extends AbstractAxonStoreTest {

    static HikariDataSource dataSource;

    @BeforeAll
    static void connect() {
        dataSource = ExternalPostgres.connectOrSkip();
    }

    @AfterAll
    static void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }
}
