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
import io.zsentinel.core.zfs.ZfsBinaries;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.deploy.transfer.TransferExecutor;
import io.zsentinel.deploy.transfer.TransferHandle;
import io.zsentinel.deploy.transfer.TransferSettings;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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
 * {@code zsentinel bench replication}: (1) the same full stream between two zfs-fuse pools on files, as a
 * plain shell pipe {@code zfs send | zfs receive} (the baseline; a shell is fine here, it is what is
 * measured) and through {@link TransferExecutor} with the default settings (what an agent runs), in
 * turn per round, the order swapped every round; (2) {@link TransferStartLatency}: snapshot → transfer
 * start through the whole stack.
 */
public final class ReplicationBench {
    private static final ServerId HERE = new ServerId("bench");

    public record Options(int sizeMib, int rounds, Path dir, Path report) {
    }

    private record Round(int round, double rawMbps, double zsentinelMbps, Duration startLatency, String how) {
        double ratio() {
            return zsentinelMbps / rawMbps;
        }
    }

    private final Options options;
    private final PrintStream out;

    public ReplicationBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public int run() throws IOException {
        String prefix = "zbench" + letters(5);
        String throughput;
        try (BenchPools pools = new BenchPools(options.dir())) {
            throughput = throughput(pools, prefix);
        }
        out.println(throughput);
        String latency = new TransferStartLatency(options.dir().resolve(prefix + "-stack"), prefix + "l", options.rounds(),
                out).run();
        out.println(latency);
        if (options.report() != null) {
            Files.writeString(options.report(), throughput + latency, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            out.println("appended to " + options.report());
        }
        return 0;
    }

    private String throughput(BenchPools pools, String prefix) throws IOException {
        long poolBytes = ((long) options.sizeMib() << 20) * 3 / 2 + (256L << 20);
        PoolName src = pools.create(prefix + "src", poolBytes);
        PoolName dst = pools.create(prefix + "dst", poolBytes);
        ZfsDriver zfs = ZfsDriver.detect(pools.runner(), src);
        DatasetName data = DatasetName.of(src.value()).child("data");
        zfs.createDataset(data);
        long began = System.nanoTime();
        writeIncompressible(pools.mountpoint(src).resolve("data").resolve("payload.bin"), (long) options.sizeMib() << 20);
        out.printf("wrote %d MiB of incompressible data in %.1f s%n", options.sizeMib(), seconds(System.nanoTime() - began));
        SnapshotName snapshot = zfs.createSnapshot(data.snapshot("bench")).name();
        DatasetName target = DatasetName.of(dst.value()).child("a");

        List<Round> rounds = new ArrayList<>();
        long streamBytes = 0;
        try (TransferExecutor executor = new TransferExecutor(HERE, zfs, ZfsBinaries.defaults(), Map.of(),
                TransferSettings.DEFAULTS, fact -> { }, Clock.systemUTC())) {
            // not counted: the first receive into a fresh pool pays for allocating its sparse file
            rawPipe(pools, snapshot, target);
            pools.destroy(target);
            for (int r = 1; r <= options.rounds(); r++) {
                long raw = 0;
                Result zsentinel = null;
                for (int turn = 0; turn < 2; turn++) {
                    if ((turn + r) % 2 == 1) {
                        raw = rawPipe(pools, snapshot, target);
                    } else {
                        zsentinel = through(executor, snapshot, target);
                    }
                    pools.destroy(target);
                }
                streamBytes = zsentinel.bytes; // the pump counts the stream
                Round round = new Round(r, mbps(streamBytes, raw), mbps(streamBytes, zsentinel.nanos), zsentinel.latency,
                        zsentinel.how);
                rounds.add(round);
                out.printf("round %d: raw %.0f MB/s, zsentinel %.0f MB/s (ratio %.2f), start latency %d ms%n", r,
                        round.rawMbps(), round.zsentinelMbps(), round.ratio(), round.startLatency().toMillis());
            }
        }
        return report(rounds, streamBytes);
    }

    private record Result(long nanos, long bytes, Duration latency, String how) {
    }

    /** The baseline: the two zfs processes joined by the kernel's pipe, started by a shell. */
    private static long rawPipe(BenchPools pools, SnapshotName snapshot, DatasetName target) {
        String line = "zfs send " + ShellQuoting.quote(snapshot.full()) + " | zfs receive "
                + ShellQuoting.quote(target.value());
        long began = System.nanoTime();
        CommandResult r = pools.runner().run(List.of("sh", "-c", line), BenchPools.TIMEOUT);
        long took = System.nanoTime() - began;
        if (!r.succeeded()) {
            throw new IllegalStateException("baseline `" + line + "` failed: " + r.errorText());
        }
        return took;
    }

    private static Result through(TransferExecutor executor, SnapshotName snapshot, DatasetName dataset) {
        StartTransfer order = new StartTransfer(UUID.randomUUID(), HERE, 1, UUID.randomUUID(), null, snapshot, false,
                HERE, dataset, null, 0);
        long began = System.nanoTime();
        TransferHandle handle = executor.start(order);
        AgentFact fact = handle.outcome().join();
        long took = System.nanoTime() - began;
        if (!(fact instanceof TransferCompleted completed)) {
            throw new IllegalStateException("transfer through zsentinel failed: " + fact);
        }
        return new Result(took, completed.bytes(), handle.startLatency().orElse(Duration.ZERO), handle.how());
    }

    private String report(List<Round> rounds, long streamBytes) {
        StringBuilder s = new StringBuilder();
        s.append("\n## Replication transfer, default settings (issue 4), measured ").append(LocalDate.now()).append("\n\n");
        s.append("`zsentinel bench replication --size-mib ").append(options.sizeMib()).append(" --rounds ")
                .append(options.rounds()).append("`: a full stream of ").append(streamBytes / (1 << 20))
                .append(" MiB (incompressible data) between two zfs-fuse pools on sparse files, received dataset destroyed "
                        + "between runs, one uncounted raw run first (a fresh pool's first receive allocates its file). "
                        + "raw = `sh -c \"zfs send S | zfs receive T\"`; zsentinel = TransferExecutor with the default "
                        + "settings (`pipe: auto`: on zfs-fuse `send → pv → receive` where pv is installed, else the pump; "
                        + "the table says which), local transport, timed from StartTransfer to "
                        + "TransferCompleted (includes the target checks before and the guid read-back after). Raw and "
                        + "zsentinel alternate, raw first in odd rounds.\n\n");
        s.append("Machine: ").append(Machine.describe()).append("\n\n");
        s.append("| round | raw MB/s | zsentinel MB/s | zsentinel/raw | zsentinel's transfer | start latency (StartTransfer → "
                + "send started) |\n");
        s.append("|---|---|---|---|---|---|\n");
        for (Round r : rounds) {
            s.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.2f | %s | %d ms |%n", r.round(), r.rawMbps(),
                    r.zsentinelMbps(), r.ratio(), r.how(), r.startLatency().toMillis()));
        }
        s.append(String.format(Locale.ROOT, "%nMedian ratio zsentinel/raw: **%.2f** (goal ≥ 0.95). Median start latency: "
                        + "%d ms.%n", median(rounds.stream().map(Round::ratio).toList()),
                (long) median(rounds.stream().map(r -> (double) r.startLatency().toMillis()).toList())));
        return s.toString();
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
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

    /** {@code n} random lower-case letters: a run's names of its own. */
    static String letters(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return s.toString();
    }
}
