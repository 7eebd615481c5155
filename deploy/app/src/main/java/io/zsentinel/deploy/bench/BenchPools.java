package io.zsentinel.deploy.bench;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.ProcessCommandRunner;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The bench's zfs-fuse pools on sparse files under its directory; {@link #close()} destroys what it created. */
final class BenchPools implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final Path dir;
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final List<PoolName> created = new ArrayList<>();

    BenchPools(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    ProcessCommandRunner runner() {
        return runner;
    }

    PoolName create(String name, long bytes) throws IOException {
        Path home = dir.resolve(name);
        Files.createDirectories(home);
        Path file = home.resolve("disk.img");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(bytes);
        }
        check(List.of("zpool", "create", "-m", home.resolve("mnt").toString(), name, file.toString()));
        PoolName pool = PoolName.of(name);
        created.add(pool);
        check(List.of("zpool", "set", "failmode=continue", name));
        return pool;
    }

    Path mountpoint(PoolName pool) {
        return dir.resolve(pool.value()).resolve("mnt");
    }

    /** zfs-fuse's destroy right after a receive can report success and leave the dataset: check and repeat. */
    void destroy(DatasetName dataset) {
        for (int attempt = 0; attempt < 50; attempt++) {
            runner.run(List.of("zfs", "destroy", "-r", dataset.value()), TIMEOUT);
            if (!runner.run(List.of("zfs", "list", "-H", "-o", "name", dataset.value()), TIMEOUT).succeeded()) {
                return;
            }
            runner.run(List.of("sleep", "0.2"), TIMEOUT);
        }
        throw new IllegalStateException("could not destroy " + dataset + " between rounds");
    }

    void check(List<String> command) {
        CommandResult r = runner.run(command, TIMEOUT);
        if (!r.succeeded()) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + r.errorText());
        }
    }

    @Override
    public void close() {
        // right after a transfer zfs-fuse can refuse the destroy (busy) once or twice: check and repeat
        for (PoolName pool : created) {
            for (int attempt = 0; attempt < 20; attempt++) {
                runner.run(List.of("zpool", "destroy", "-f", pool.value()), TIMEOUT);
                if (!runner.run(List.of("zpool", "list", "-H", pool.value()), TIMEOUT).succeeded()) {
                    break;
                }
                runner.run(List.of("sleep", "0.5"), TIMEOUT);
            }
        }
        created.clear();
    }
}
