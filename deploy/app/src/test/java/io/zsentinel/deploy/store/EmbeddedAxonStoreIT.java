package io.zsentinel.deploy.store;

import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import javax.sql.DataSource;

/** The event-store contract on the embedded PostgreSQL, started once for the class. */
class EmbeddedAxonStoreIT extends AbstractAxonStoreTest {

    @TempDir
    static Path lab;
    static EmbeddedPostgresStore postgres;

    @BeforeAll
    static void startPostgres() {
        long t0 = System.nanoTime();
        postgres = EmbeddedPostgresStore.start(lab.resolve("pgdata"));
        System.out.printf("embedded PostgreSQL started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected DataSource dataSource() {
        return postgres.dataSource();
    }
}
