package io.zsentinel.deploy.transfer;

import io.zsentinel.core.messages.agentcommands.StartTransfer;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.TransferCompleted;
import io.zsentinel.core.messages.facts.TransferFailed;
import io.zsentinel.core.messages.facts.TransferProgressed;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.ZfsBinaries;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default transfer on zfs-fuse with pv installed (scripts/prepare-machine.sh installs it): send → pv →
 * receive, kernel pipes all the way, with counted progress, a limit, and a cancel that stops the stream.
 */
class PvMeteredTransferIT {
    private static final ServerId SOURCE = new ServerId("primary");
    private static final ServerId STANDBY = new ServerId("standby");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path tempDir;
    static ZfsTestPools pools;
    static PoolName src;
    static PoolName dst;
    static ZfsDriver zfs;

    private final List<AgentFact> facts = new CopyOnWriteArrayList<>();
    private TransferExecutor executor;

    @BeforeAll
    static void pools() {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/pv")), "pv is not installed: run scripts/prepare-machine.sh");
        pools = ZfsTestPools.open(tempDir, "ztpv");
        src = pools.createPool("src", 192L << 20);
        dst = pools.createPool("dst", 192L << 20);
        zfs = ZfsDriver.detect(pools.runner(), src);
    }

    @AfterAll
    static void destroyPools() {
        if (pools != null) {
            pools.close();
        }
    }

    @BeforeEach
    void executor() {
        executor = new TransferExecutor(SOURCE, zfs, ZfsBinaries.defaults(), Map.of(), TransferSettings.DEFAULTS,
                facts::add, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        executor.close();
    }

    @Test
    void theDefaultTransferIsAPipeMeteredByPvWithItsBytesCountedAndTheDataEqual() throws IOException {
        DatasetName source = dataset("metered");
        write(source, "data.img", 24 << 20, 1);
        SnapshotName s1 = zfs.createSnapshot(source.snapshot("s1")).name();
        DatasetName target = DatasetName.of(dst.value()).child("metered");

        TransferHandle handle = executor.start(order(s1, target, 0));
        TransferCompleted done = completed(handle);
        assertTrue(handle.run().piped() && handle.run().metered() && handle.run().progressKnown());
        assertTrue(done.bytes() >= (24 << 20), "the stream's bytes as pv counted them: " + done.bytes());
        assertEquals(zfs.readSnapshot(s1).guid(), done.snapshotGuid());
        assertTrue(pools.runner().run(List.of("zfs", "mount", target.value()), WAIT).succeeded());
        assertArrayEquals(Files.readAllBytes(mount(source).resolve("data.img")),
                Files.readAllBytes(pools.mountpoint(dst).resolve("metered").resolve("data.img")));
    }

    @Test
    void aLimitedTransferReportsProgressAndACancelStopsItsStreamOnZfsFuseToo() throws IOException {
        DatasetName source = dataset("cancelled");
        write(source, "data.img", 24 << 20, 2);
        SnapshotName s1 = zfs.createSnapshot(source.snapshot("s1")).name();
        DatasetName target = DatasetName.of(dst.value()).child("cancelled");

        TransferHandle slow = executor.start(order(s1, target, 4L << 20));
        assertTrue(slow.run().metered(), "a limit is pv's -L, not the pump");
        await().atMost(WAIT).until(() -> facts.stream().anyMatch(f -> f instanceof TransferProgressed p
                && p.transferId().equals(slow.transferId()) && p.bytes() > (2 << 20)));
        executor.cancel(slow.transferId(), "test stops it midway");
        TransferFailed failed = assertInstanceOf(TransferFailed.class,
                slow.outcome().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join());
        assertTrue(failed.retriable(), failed.reason());
        assertTrue(failed.bytes() > 0 && failed.bytes() < (24 << 20), "bytes so far: " + failed.bytes());
        assertFalse(zfs.datasetExists(target), "the truncated stream was refused, nothing received");
    }

    @Test
    void pvIsAskedForNumbersAndTheLimit() {
        assertEquals(List.of("pv", "-n", "-b", "-i", "0.5"), PvMeter.argv(0));
        assertEquals(List.of("pv", "-n", "-b", "-i", "0.5", "-L", "4194304"), PvMeter.argv(4L << 20));
    }

    private static StartTransfer order(SnapshotName to, DatasetName target, long limit) {
        return new StartTransfer(UUID.randomUUID(), SOURCE, 1, UUID.randomUUID(), null, to, false, STANDBY, target,
                null, limit);
    }

    private static TransferCompleted completed(TransferHandle handle) {
        return TransferTesting.completed(handle, WAIT);
    }

    private static DatasetName dataset(String name) {
        DatasetName ds = DatasetName.of(src.value()).child(name);
        zfs.createDataset(ds);
        return ds;
    }

    private static Path mount(DatasetName ds) {
        return pools.mountpoint(ds.pool()).resolve(ds.value().substring(ds.value().indexOf('/') + 1));
    }

    private static void write(DatasetName ds, String file, int bytes, long seed) throws IOException {
        TransferTesting.writeIncompressible(mount(ds).resolve(file), bytes, seed);
    }
}
