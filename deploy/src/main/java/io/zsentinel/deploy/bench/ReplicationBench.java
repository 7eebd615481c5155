package io.zsentinel.deploy.bench;

import io.zsentinel.core.messages.agentcommands.StartTransfer;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.TransferCompleted;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.ShellQuoting;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.ProcessCommandRunner;
import io.zsentinel.core.zfs.ZfsBinaries;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.deploy.transfer.TransferExecutor;
import io.zsentinel.deploy.transfer.TransferHandle;
import io.zsentinel.deploy.transfer.TransferSettings;
import io.zsentinel.deploy.transfer.TransferTarget;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code zsentinel bench replication}: the same full stream between two zfs-fuse pools on files, as a
 * plain shell pipe {@code zfs send | zfs receive} (the baseline; a shell is fine here, it is what is
 * measured), through {@link TransferExecutor} as a kernel pipeline ({@code pipe: always}, what a transfer
 * without a bandwidth limit runs) and through the Java pump ({@code pipe: never}), in turn per round.
 */
public final class ReplicationBench {
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final ServerId HERE = new ServerId("bench");

    public record Options(int sizeMib, int rounds, Path dir, Path report) {
    }

    private record Round(int round, double rawMbps, double pipeMbps, double pumpMbps, Duration startLatency) {
        double ratio() {
            return pipeMbps / rawMbps;
        }

        double pumpRatio() {
            return pumpMbps / rawMbps;
        }
    }

    private final Options options;
    private final PrintStream out;
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final List<PoolName> created = new ArrayList<>();

    public ReplicationBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public int run() throws IOException {
        String prefix = "zbench" + letters(5);
        try {
            PoolName src = pool(prefix + "src");
            PoolName dst = pool(prefix + "dst");
            ZfsDriver zfs = ZfsDriver.detect(runner, src);
            DatasetName data = DatasetName.of(src.value()).child("data");
            zfs.createDataset(data);
            long began = System.nanoTime();
            writeIncompressible(mountpoint(src).resolve("data").resolve("payload.bin"), (long) options.sizeMib() << 20);
            out.printf("wrote %d MiB of incompressible data in %.1f s%n", options.sizeMib(), seconds(System.nanoTime() - began));
            SnapshotName snapshot = zfs.createSnapshot(data.snapshot("bench")).name();
            DatasetName target = DatasetName.of(dst.value()).child("a");

            List<Round> rounds = new ArrayList<>();
            long streamBytes = 0;
            try (TransferExecutor executor = new TransferExecutor(HERE, zfs, ZfsBinaries.defaults(), Map.of(),
                    TransferSettings.DEFAULTS.withPipe(TransferSettings.Pipe.ALWAYS), fact -> { }, Clock.systemUTC());
                 TransferExecutor pump = new TransferExecutor(HERE, zfs, ZfsBinaries.defaults(), Map.of(),
                         TransferSettings.DEFAULTS.withPipe(TransferSettings.Pipe.NEVER), fact -> { }, Clock.systemUTC());
                 TransferExecutor buffered = new TransferExecutor(HERE, zfs, ZfsBinaries.defaults(),
                         Map.of(new ServerId("mbuffered"), TransferTarget.LOCAL.withMbuffer()),
                         TransferSettings.DEFAULTS.withPipe(TransferSettings.Pipe.ALWAYS), fact -> { }, Clock.systemUTC())) {
                for (int r = 1; r <= options.rounds(); r++) {
                    long raw = rawPipe(snapshot, target);
                    destroy(target);
                    Result piped = through(executor, HERE, snapshot, target);
                    destroy(target);
                    Result pumped = through(pump, HERE, snapshot, target);
                    destroy(target);
                    streamBytes = pumped.bytes; // the pump counts the stream; a pipe on zfs-fuse cannot
                    Round round = new Round(r, mbps(streamBytes, raw), mbps(streamBytes, piped.nanos),
                            mbps(streamBytes, pumped.nanos), piped.latency);
                    rounds.add(round);
                    out.printf("round %d: raw %.0f MB/s, zsentinel pipe %.0f MB/s (ratio %.2f), pump %.0f MB/s (ratio %.2f),"
                                    + " start latency %d ms%n", r, round.rawMbps(), round.pipeMbps(), round.ratio(),
                            round.pumpMbps(), round.pumpRatio(), round.startLatency().toMillis());
                }
                Result viaMbuffer = through(buffered, new ServerId("mbuffered"), snapshot, target);
                destroy(target);
                String report = report(rounds, streamBytes, mbps(streamBytes, viaMbuffer.nanos));
                out.println(report);
                if (options.report() != null) {
                    Files.writeString(options.report(), report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    out.println("appended to " + options.report());
                }
            }
            return 0;
        } finally {
            for (PoolName pool : created) {
                runner.run(List.of("zpool", "destroy", "-f", pool.value()), TIMEOUT);
            }
        }
    }

    private record Result(long nanos, long bytes, Duration latency) {
    }

    /** The baseline: the two zfs processes joined by the kernel's pipe, started by a shell. */
    private long rawPipe(SnapshotName snapshot, DatasetName target) {
        String line = "zfs send " + ShellQuoting.quote(snapshot.full()) + " | zfs receive "
                + ShellQuoting.quote(target.value());
        long began = System.nanoTime();
        CommandResult r = runner.run(List.of("sh", "-c", line), TIMEOUT);
        long took = System.nanoTime() - began;
        if (!r.succeeded()) {
            throw new IllegalStateException("baseline `" + line + "` failed: " + r.errorText());
        }
        return took;
    }

    private static Result through(TransferExecutor executor, ServerId target, SnapshotName snapshot, DatasetName dataset) {
        StartTransfer order = new StartTransfer(UUID.randomUUID(), HERE, 1, UUID.randomUUID(), null, snapshot, false,
                target, dataset, null, 0);
        long began = System.nanoTime();
        TransferHandle handle = executor.start(order);
        AgentFact fact = handle.outcome().join();
        long took = System.nanoTime() - began;
        if (!(fact instanceof TransferCompleted completed)) {
            throw new IllegalStateException("transfer through zsentinel failed: " + fact);
        }
        return new Result(took, completed.bytes(), handle.startLatency().orElse(Duration.ZERO));
    }

    private String report(List<Round> rounds, long streamBytes, double mbufferMbps) {
        StringBuilder s = new StringBuilder();
        s.append("\n## Replication transfer, kernel pipeline (issue: transfer executor), measured ").append(LocalDate.now())
                .append("\n\n");
        s.append("`zsentinel bench replication --size-mib ").append(options.sizeMib()).append(" --rounds ")
                .append(options.rounds()).append("`: a full stream of ").append(streamBytes / (1 << 20))
                .append(" MiB (incompressible data) between two zfs-fuse pools on sparse files, received dataset destroyed "
                        + "between runs. raw = `sh -c \"zfs send S | zfs receive T\"`; pipe = TransferExecutor, local "
                        + "transport, no bandwidth limit, `pipe: always` (send → receive joined by "
                        + "ProcessBuilder.startPipeline, no byte through the JVM); pump = the same with `pipe: never` (Java "
                        + "pump, 1 MiB buffer). Both timed from StartTransfer to TransferCompleted (includes the target "
                        + "checks before and the guid read-back after).\n\n");
        s.append("Machine: ").append(Machine.describe()).append("\n\n");
        s.append("| round | raw MB/s | pipe MB/s | pipe/raw | pump MB/s | pump/raw | start latency (pipe: StartTransfer → send started) |\n");
        s.append("|---|---|---|---|---|---|---|\n");
        for (Round r : rounds) {
            s.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.2f | %.0f | %.2f | %d ms |%n", r.round(), r.rawMbps(),
                    r.pipeMbps(), r.ratio(), r.pumpMbps(), r.pumpRatio(), r.startLatency().toMillis()));
        }
        double median = median(rounds.stream().map(Round::ratio).toList());
        s.append(String.format(Locale.ROOT, "%nMedian ratio pipe/raw: **%.2f** (goal ≥ 0.95); pump/raw: %.2f. Median start "
                        + "latency: %d ms.%n", median, median(rounds.stream().map(Round::pumpRatio).toList()),
                (long) median(rounds.stream().map(r -> (double) r.startLatency().toMillis()).toList())));
        s.append(String.format(Locale.ROOT, "Pipeline send → `mbuffer -m 256M` → receive (one run): %.0f MB/s.%n",
                mbufferMbps));
        return s.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private PoolName pool(String name) throws IOException {
        Path dir = options.dir().toAbsolutePath().resolve(name);
        Files.createDirectories(dir);
        Path file = dir.resolve("disk.img");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(((long) options.sizeMib() << 20) * 3 / 2 + (256L << 20));
        }
        check(List.of("zpool", "create", "-m", dir.resolve("mnt").toString(), name, file.toString()));
        PoolName pool = PoolName.of(name);
        created.add(pool);
        check(List.of("zpool", "set", "failmode=continue", name));
        return pool;
    }

    private Path mountpoint(PoolName pool) {
        return options.dir().toAbsolutePath().resolve(pool.value()).resolve("mnt");
    }

    /** zfs-fuse's destroy right after a receive can report success and leave the dataset: check and repeat. */
    private void destroy(DatasetName dataset) {
        for (int attempt = 0; attempt < 50; attempt++) {
            runner.run(List.of("zfs", "destroy", "-r", dataset.value()), TIMEOUT);
            if (!runner.run(List.of("zfs", "list", "-H", "-o", "name", dataset.value()), TIMEOUT).succeeded()) {
                return;
            }
            runner.run(List.of("sleep", "0.2"), TIMEOUT);
        }
        throw new IllegalStateException("could not destroy " + dataset + " between rounds");
    }

    private void check(List<String> command) {
        CommandResult r = runner.run(command, TIMEOUT);
        if (!r.succeeded()) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + r.errorText());
        }
    }

    private static void writeIncompressible(Path file, long bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(ThreadLocalRandom.current().nextLong());
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += block.length) {
                for (int i = 0; i < block.length; i += 8) {
                    long v = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        block[i + b] = (byte) (v >>> (8 * b));
                    }
                }
                out.write(block, 0, (int) Math.min(block.length, bytes - written));
            }
        }
    }

    private static double mbps(long bytes, long nanos) {
        return bytes / 1e6 / seconds(nanos);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static String letters(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return s.toString();
    }
}
