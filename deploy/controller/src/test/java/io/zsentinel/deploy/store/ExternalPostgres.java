package io.zsentinel.deploy.store;

import com.zaxxer.hikari.HikariDataSource;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The external PostgreSQL of the store ITs (Debian's in CI): a pool when {@code ZSENTINEL_TEST_PG_URL}
 * (plus {@code ZSENTINEL_TEST_PG_USER}/{@code _PASSWORD}) is set; otherwise the test is skipped.
 */
public final class ExternalPostgres {
    private ExternalPostgres() {
    }

    public static HikariDataSource connectOrSkip() {
        String url = System.getenv("ZSENTINEL_TEST_PG_URL");
        assumeTrue(url != null && !url.isBlank(), "ZSENTINEL_TEST_PG_URL not set");
        return DataSources.pooled(url, System.getenv("ZSENTINEL_TEST_PG_USER"), System.getenv("ZSENTINEL_TEST_PG_PASSWORD"));
    }
}
