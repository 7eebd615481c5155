package io.zsentinel.deploy.store;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import javax.sql.DataSource;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The event-store contract on an external PostgreSQL (Debian's in CI): runs only when
 * {@code ZSENTINEL_TEST_PG_URL} (plus {@code ZSENTINEL_TEST_PG_USER}/{@code _PASSWORD}) is set.
 */
class ExternalPostgresAxonStoreIT extends AbstractAxonStoreTest {

    static HikariDataSource dataSource;

    @BeforeAll
    static void connect() {
        String url = System.getenv("ZSENTINEL_TEST_PG_URL");
        assumeTrue(url != null && !url.isBlank(), "ZSENTINEL_TEST_PG_URL not set");
        dataSource = DataSources.pooled(url, System.getenv("ZSENTINEL_TEST_PG_USER"),
                System.getenv("ZSENTINEL_TEST_PG_PASSWORD"));
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
