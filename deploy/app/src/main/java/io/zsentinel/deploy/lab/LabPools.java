package io.zsentinel.deploy.lab;

import io.zsentinel.core.retry.Polling;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.CommandRunner;
import io.zsentinel.core.zfs.DatasetRole;
import io.zsentinel.core.zfs.ZfsDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The lab's file-backed pools: created when missing, re-imported when exported, destroyed on
 * reset — but only a pool whose device is the lab's own file, never a same-named pool of the host.
 */
final class LabPools {
    private static final Logger log = LoggerFactory.getLogger(LabPools.class);
    static final long POOL_BYTES = 256L * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Path dir;
    private final CommandRunner runner;

    LabPools(Path dir, CommandRunner runner) {
        this.dir = dir;
        this.runner = runner;
    }

    Path image(PoolName pool) {
        return dir.resolve("pools").resolve(pool.value() + ".img").toAbsolutePath();
    }

    Path mountpoint(PoolName pool) {
        return dir.resolve("mnt").resolve(pool.value()).toAbsolutePath();
    }

    /**
     * Makes sure {@code pool} is imported; with {@code withVm1}, with a dataset {@code pool/vm1}
     * (only the primary's: the others receive theirs by replication), marked as the service's primary at generation 1
     * when it has no role yet.
     */
    void ensure(PoolName pool, boolean withVm1) throws IOException {
        if (imported(pool)) {
            if (!ours(pool)) {
                throw new LabException("a pool named " + pool + " already exists on this machine and is not the lab's ("
                        + image(pool) + "); export or rename it, or run the lab elsewhere with --dir");
            }
        } else if (Files.exists(image(pool))) {
            run("zpool", "import", "-d", image(pool).getParent().toString(), pool.value());
            log.info("re-imported lab pool {} from {}", pool, image(pool));
        } else {
            Files.createDirectories(image(pool).getParent());
            Files.createDirectories(mountpoint(pool));
            try (RandomAccessFile file = new RandomAccessFile(image(pool).toFile(), "rw")) {
                file.setLength(POOL_BYTES);
            }
            run("zpool", "create", "-m", mountpoint(pool).toString(), pool.value(), image(pool).toString());
            // A vanished file must return errors, not hang every pool of the shared zfs-fuse daemon.
            run("zpool", "set", "failmode=continue", pool.value());
            log.info("created lab pool {} on {}", pool, image(pool));
        }
        if (!withVm1) {
            return;
        }
        ZfsDriver zfs = ZfsDriver.detect(runner, pool);
        DatasetName vm1 = new DatasetName(pool.value() + "/vm1");
        if (zfs.listDatasets(new DatasetName(pool.value())).stream().noneMatch(d -> d.name().equals(vm1))) {
            zfs.createDataset(vm1);
        }
        if (zfs.role(vm1).equals(DatasetRole.NONE)) {
            // the service's first primary at its first generation, as an operator marks it when setting it up: only
            // a dataset carrying the primary role is made read-only by its agent when the agent's lease runs out
            zfs.promote(vm1, 1);
            log.info("marked {} as the primary of service {} at generation 1", vm1, Lab.SERVICE);
        }
    }

    /** Destroys the lab pool if it is imported and its device is the lab's file. */
    void destroy(PoolName pool) {
        if (imported(pool) && ours(pool)) {
            detachElsewhere(pool);
            runWhileBusy(List.of("zpool", "destroy", "-f", pool.value()), "retry --reset");
            log.info("destroyed lab pool {}", pool);
        }
    }

    /**
     * Exports the lab pool (a crashed or failed server's pool is gone from the machine until it is imported again).
     * {@code zpool export -f} detaches the mounts at once, but zfs-fuse keeps calling the pool busy for as long as
     * any process has its working directory or an open file in it — a shell, an editor, a leftover send; those are
     * looked up first, so that a failed export can name them.
     */
    void export(PoolName pool) {
        if (imported(pool)) {
            detachElsewhere(pool);
            List<String> holders = holders(mountpoint(pool));
            runWhileBusy(List.of("zpool", "export", "-f", pool.value()), holders.isEmpty() ? "retry"
                    : "retry; in it when the export began: " + String.join(", ", holders));
            log.info("exported lab pool {}", pool);
        }
    }

    /**
     * Mounts the pool's datasets a failed forced export left unmounted (it detaches the mounts before it finds the
     * pool busy): a pool that stayed imported has nothing to import, and would otherwise serve nothing.
     */
    void mountAll(PoolName pool) {
        CommandResult list = runner.run(List.of("zfs", "list", "-H", "-r", "-t", "filesystem", "-o", "name,mounted",
                pool.value()), TIMEOUT);
        for (String line : list.stdout().split("\n")) {
            String[] cols = line.split("\t");
            if (cols.length == 2 && cols[1].equals("no")) {
                CommandResult mount = runner.run(List.of("zfs", "mount", cols[0]), TIMEOUT);
                if (!mount.succeeded()) {
                    log.warn("could not mount {} again: {}", cols[0], mount.errorText().strip());
                }
            }
        }
    }

    /**
     * Detaches the pool's mounts from every other mount namespace. A lab agent in a network namespace runs under
     * {@code ip netns exec}, which gives it a mount namespace of its own: where {@code /} is private (containers),
     * that namespace keeps a copy of every zfs-fuse mount there was when it started, the other servers' datasets
     * included, and zfs-fuse calls the pool busy for as long as such a copy lives — a crashed primary's pool could
     * not be exported while the standby's agent ran.
     */
    void detachElsewhere(PoolName pool) {
        String root = mountpoint(pool).toString();
        String own = namespace(Path.of("/proc/self"));
        Set<String> seen = new HashSet<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
                .matches("[0-9]+"))) {
            for (Path proc : procs) {
                String ns = namespace(proc);
                if (ns == null || ns.equals(own) || !seen.add(ns)) {
                    continue;
                }
                List<String> mounts = mountsUnder(proc, root);
                if (mounts.isEmpty()) {
                    continue;
                }
                List<String> argv = new ArrayList<>(List.of("nsenter", "-t", proc.getFileName().toString(), "-m",
                        "umount", "-l"));
                argv.addAll(mounts);
                CommandResult detached = runner.run(argv, TIMEOUT);
                if (detached.succeeded()) {
                    log.info("detached {} mount(s) of lab pool {} held in the mount namespace of pid {} ({})",
                            mounts.size(), pool, proc.getFileName(), command(proc));
                } else {
                    log.warn("could not detach the mounts of lab pool {} in the mount namespace of pid {} ({}): {}", pool,
                            proc.getFileName(), command(proc), detached.errorText().strip());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot look for other mount namespaces holding lab pool {}: {}", pool, e.toString());
        }
    }

    private static String namespace(Path proc) {
        try {
            return Files.readSymbolicLink(proc.resolve("ns").resolve("mnt")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The mount points at or under {@code root} in a process's mount namespace, the deepest first. */
    private static List<String> mountsUnder(Path proc, String root) {
        try {
            List<String> found = new ArrayList<>();
            for (String line : Files.readAllLines(proc.resolve("mountinfo"))) {
                String[] fields = line.split(" ");
                String target = fields.length > 4 ? fields[4].replace("\\040", " ") : "";
                if (target.equals(root) || target.startsWith(root + "/")) {
                    found.add(target);
                }
            }
            found.sort(Comparator.comparingInt(String::length).reversed());
            return found;
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // gone meanwhile
        }
    }

    /** The processes ("pid command") whose working directory or an open file is under {@code dir}. */
    static List<String> holders(Path dir) {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
                .matches("[0-9]+"))) {
            for (Path proc : procs) {
                if (uses(proc, dir)) {
                    found.add(proc.getFileName() + " " + command(proc));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            log.debug("cannot look for the processes using {}: {}", dir, e.toString());
        }
        return found;
    }

    private static boolean uses(Path proc, Path dir) {
        if (under(proc.resolve("cwd"), dir)) {
            return true;
        }
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            return fds.anyMatch(fd -> under(fd, dir));
        } catch (IOException | UncheckedIOException e) {
            return false; // gone meanwhile, or not ours to read
        }
    }

    private static boolean under(Path link, Path dir) {
        try {
            return Files.readSymbolicLink(link).startsWith(dir);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static String command(Path proc) {
        try {
            return Files.readString(proc.resolve("comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * zfs-fuse answers "pool is busy" while it still frees or unmounts (e.g. right after the previous lab
     * stopped): retries for a while before giving up.
     */
    private void runWhileBusy(List<String> argv, String then) {
        CommandResult[] last = {null};
        Polling.until("lab-" + argv.get(1), Duration.ofSeconds(1), Duration.ofSeconds(29), () -> {
            last[0] = runner.run(argv, TIMEOUT);
            return last[0].succeeded() || !last[0].errorText().contains("busy");
        });
        if (!last[0].succeeded()) {
            throw new LabException(String.join(" ", argv) + " failed: " + last[0].errorText().strip()
                    + "; stop whatever uses the pool (a shell in its mountpoint?) and " + then);
        }
    }

    boolean imported(PoolName pool) {
        return runner.run(List.of("zpool", "list", "-H", "-o", "name", pool.value()), TIMEOUT).exitCode() == 0;
    }

    private boolean ours(PoolName pool) {
        CommandResult status = runner.run(List.of("zpool", "status", pool.value()), TIMEOUT);
        return status.stdout().contains(image(pool).toString());
    }

    private void run(String... argv) {
        CommandResult result = runner.run(List.of(argv), TIMEOUT);
        if (result.exitCode() != 0) {
            throw new LabException(String.join(" ", argv) + " failed: " + result.errorText());
        }
    }
}
