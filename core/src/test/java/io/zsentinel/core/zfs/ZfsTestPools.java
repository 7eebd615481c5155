package io.zsentinel.core.zfs;

import io.zsentinel.core.values.PoolName;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.awaitility.Awaitility.await;

/**
 * File-backed zfs-fuse pools for tests, on the one zfs-fuse daemon that every test on the machine
 * shares. Pools are named {@code family + random letters + suffix}, mounted under the given
 * directory, tagged with the creating process id ({@code zsentinel:test-owner}) and destroyed on
 * {@link #close()}. At start, pools of the same family whose owner process is gone (a crashed run)
 * are destroyed; pools of a live run are left alone.
 *
 * <pre>
 * try (ZfsTestPools pools = ZfsTestPools.open(tempDir, "ztrepl")) {
 *     PoolName pool = pools.createPool("src", 128 &lt;&lt; 20);
 *     ZfsDriver zfs = ZfsDriver.detect(pools.runner(), pool);
 * }
 * </pre>
 */
public final class ZfsTestPools implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final String OWNER_PROPERTY = "zsentinel:test-owner";

    private final Path dir;
    private final String prefix;
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final Map<PoolName, List<Path>> created = new LinkedHashMap<>();

    private ZfsTestPools(Path dir, String prefix) {
        this.dir = dir;
        this.prefix = prefix;
    }

    /**
     * Ensures the daemon answers, destroys dead runs' leftovers of {@code family} and returns a
     * helper whose pools live under {@code dir}. {@code family}: a few lowercase letters naming the
     * test suite, starting with a letter (e.g. "ztrepl").
     */
    public static ZfsTestPools open(Path dir, String family) {
        if (!family.matches("[a-z][a-z0-9]{1,11}") || family.startsWith("mirror") || family.startsWith("raidz")) {
            throw new IllegalArgumentException("pool family \"" + family + "\": use 2-12 lowercase letters or digits");
        }
        ensureDaemon();
        ZfsTestPools pools = new ZfsTestPools(dir.toAbsolutePath(), family + randomLetters(5));
        pools.destroyLeftovers(family);
        return pools;
    }

    /** Starts {@code zfs-fuse} when nothing answers and none is running, then waits until {@code zpool list} answers. */
    public static void ensureDaemon() {
        ProcessCommandRunner probe = new ProcessCommandRunner();
        if (daemonAnswers(probe)) {
            return;
        }
        // A daemon that is starting or stopping does not answer yet; a second one would exit at once.
        boolean running = ProcessHandle.allProcesses()
                .anyMatch(p -> p.info().command().map(c -> c.endsWith("/zfs-fuse")).orElse(false));
        if (!running) {
            CommandResult start = probe.run(List.of("/usr/sbin/zfs-fuse"), COMMAND_TIMEOUT);
            if (!start.succeeded()) {
                throw new IllegalStateException("could not start zfs-fuse (exit " + start.exitCode() + "): "
                        + start.stderr().strip() + ". Start it by hand (`zfs-fuse`) and rerun.");
            }
        }
        await("zfs-fuse daemon answering `zpool list`").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> daemonAnswers(probe));
    }

    private static boolean daemonAnswers(CommandRunner runner) {
        return runner.run(List.of("zpool", "list", "-H", "-o", "name"), COMMAND_TIMEOUT).succeeded();
    }

    /** A runner for the tests' own drivers (it counts their invocations, not the helper's). */
    public ProcessCommandRunner runner() {
        return new ProcessCommandRunner();
    }

    /** This run's pool name prefix (family + random letters). */
    public String prefix() {
        return prefix;
    }

    /** A pool on one sparse file of {@code bytes} (at least 64 MiB), mounted at {@link #mountpoint}. */
    public PoolName createPool(String suffix, long bytes) {
        return create(suffix, bytes, 1, false);
    }

    /** A two-way mirror pool on two sparse files; {@link #vdevFiles} names them for fault injection. */
    public PoolName createMirror(String suffix, long bytes) {
        return create(suffix, bytes, 2, true);
    }

    public List<Path> vdevFiles(PoolName pool) {
        return List.copyOf(created.get(pool));
    }

    public Path mountpoint(PoolName pool) {
        return dir.resolve(pool.value()).resolve("mnt");
    }

    private PoolName create(String suffix, long bytes, int disks, boolean mirror) {
        PoolName pool = PoolName.of(prefix + suffix);
        Path poolDir = dir.resolve(pool.value());
        List<Path> files = new ArrayList<>();
        List<String> command = new ArrayList<>(List.of("zpool", "create", "-m", mountpoint(pool).toString(), pool.value()));
        if (mirror) {
            command.add("mirror");
        }
        try {
            Files.createDirectories(poolDir);
            for (int i = 0; i < disks; i++) {
                Path file = poolDir.resolve("disk" + i + ".img");
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    raf.setLength(Math.max(bytes, 64L << 20));
                }
                files.add(file);
                command.add(file.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the backing files of test pool " + pool, e);
        }
        check(command);
        created.put(pool, files);
        // A vanished device must return errors, not block every pool of the shared daemon.
        check(List.of("zpool", "set", "failmode=continue", pool.value()));
        check(List.of("zfs", "set", OWNER_PROPERTY + "=" + ProcessHandle.current().pid(), pool.value()));
        return pool;
    }

    /** Destroys one pool now (tests that want it gone before close). */
    public void destroy(PoolName pool) {
        if (created.remove(pool) != null) {
            destroyPool(runner, pool);
        }
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (PoolName pool : List.copyOf(created.keySet())) {
            try {
                destroy(pool);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private void destroyLeftovers(String family) {
        CommandResult list = runner.run(List.of("zpool", "list", "-H", "-o", "name"), COMMAND_TIMEOUT);
        for (String name : list.stdout().lines().map(String::strip).filter(n -> n.startsWith(family)).toList()) {
            CommandResult owner = runner.run(List.of("zfs", "get", "-H", "-o", "value", OWNER_PROPERTY, name),
                    COMMAND_TIMEOUT);
            if (owner.succeeded() && ownerAlive(owner.stdout().strip())) {
                continue; // another live run of the same family
            }
            destroyPool(runner, PoolName.of(name));
        }
    }

    private static boolean ownerAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false; // "-": the property was never set, or the pool is FAULTED and unreadable
        }
    }

    /** zfs-fuse answers "pool is busy" for a moment after unmounting; it goes through on retry. */
    private static void destroyPool(CommandRunner runner, PoolName pool) {
        await("zpool destroy " + pool).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    CommandResult r = runner.run(List.of("zpool", "destroy", "-f", pool.value()), COMMAND_TIMEOUT);
                    return r.succeeded() || r.stderr().contains("no such pool");
                });
    }

    private void check(List<String> command) {
        CommandResult r = runner.run(command, COMMAND_TIMEOUT);
        if (!r.succeeded()) {
            throw ZfsException.of("run test set-up step `" + String.join(" ", command) + "` for", prefix, r);
        }
    }

    private static String randomLetters(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
