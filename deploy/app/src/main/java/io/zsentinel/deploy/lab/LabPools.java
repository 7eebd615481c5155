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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
            runWhileBusy(List.of("zpool", "destroy", "-f", pool.value()), "retry --reset");
            log.info("destroyed lab pool {}", pool);
        }
    }

    /** Exports the lab pool (a crashed server's pool is gone from the machine until it is imported again). */
    void export(PoolName pool) {
        if (imported(pool)) {
            runWhileBusy(List.of("zpool", "export", "-f", pool.value()), "retry");
            log.info("exported lab pool {}", pool);
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
