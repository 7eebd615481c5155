package io.zsentinel.deploy.transfer;

import io.zsentinel.core.messages.agentcommands.StartTransfer;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.TransferCompleted;
import io.zsentinel.core.messages.facts.TransferFailed;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.ProcessCommandRunner;
import io.zsentinel.core.zfs.SnapshotEntry;
import io.zsentinel.core.zfs.ZfsBinaries;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import io.zsentinel.deploy.agent.InventoryScanner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The agent's transfers on real OpenZFS: the kernel pipe with counted progress, the link's cursor
 * bookmark and a stream from it after the base snapshot is gone, resuming an interrupted receive, and a
 * written target seen by the inventory scan. Tagged {@code openzfs}: run inside the OpenZFS VM
 * ({@code scripts/openzfs-vm.sh}), not by the default suite on zfs-fuse.
 */
@Tag("openzfs")
class OpenZfsTransferIT {
    private static final ServerId SOURCE = new ServerId("primary");
    private static final ServerId STANDBY = new ServerId("standby");
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String LINK = "primary:src/vm->standby:dst/vm";

    @TempDir
    static Path tempDir;
    static ZfsTestPools pools;
    static PoolName src;
    static PoolName dst;
    static ZfsDriver zfs;
    static ProcessCommandRunner runner;

    private final List<AgentFact> facts = new CopyOnWriteArrayList<>();
    private TransferExecutor executor;

    @BeforeAll
    static void pools() {
        pools = ZfsTestPools.open(tempDir, "zoxfer");
        src = pools.createPool("src", 384L << 20);
        dst = pools.createPool("dst", 384L << 20);
        runner = pools.runner();
        zfs = ZfsDriver.detect(runner, src);
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
    void withZfsInTheKernelTheDefaultIsTheKernelPipeAndItsBytesAreCounted() throws IOException {
        DatasetName source = dataset(src, "piped");
        write(source, "data", 48 << 20, 1);
        SnapshotEntry s1 = zfs.createSnapshot(source.snapshot("s1"));
        TransferHandle handle = executor.start(order(null, s1.name(), false, target("piped"), null, false));
        TransferCompleted done = completed(handle);
        assertTrue(handle.run().piped(), "pipe: auto pipes where the send process's writes count the stream");
        assertTrue(handle.run().progressKnown());
        assertTrue(done.bytes() > (40 << 20), "bytes counted from the send's wchar: " + done.bytes());
        assertEquals(s1.guid(), done.snapshotGuid());
    }

    @Test
    void theLinksCursorFollowsItsSuccessesAndCarriesTheLinkOnceTheBaseSnapshotIsGone() throws IOException {
        DatasetName source = dataset(src, "cursor");
        write(source, "a", 4 << 20, 2);
        SnapshotEntry s1 = zfs.createSnapshot(source.snapshot("s1"));
        DatasetName target = target("cursor");
        completed(executor.start(order(null, s1.name(), false, target, null, false)));
        assertEquals(List.of(CursorBookmarks.cursor(LINK, s1.name(), s1.guid())), cursors(source));

        write(source, "b", 2 << 20, 3);
        SnapshotEntry s2 = zfs.createSnapshot(source.snapshot("s2"));
        zfs.destroySnapshot(s1.name()); // retention took the base; the cursor remembers it
        SnapshotName fromCursor = source.snapshot(CursorBookmarks.cursor(LINK, s1.name(), s1.guid()).shortName());
        TransferCompleted done = completed(executor.start(order(fromCursor, s2.name(), false, target, null, true)));
        assertEquals(s2.guid(), done.snapshotGuid());
        assertEquals(List.of(CursorBookmarks.cursor(LINK, s2.name(), s2.guid())), cursors(source),
                "moved to the newest success, the previous one destroyed");
        assertEquals(1, executor.forgetLink(LINK, source));
        assertEquals(List.of(), cursors(source), "a link that left the configuration leaves no cursor");
        check(List.of("zfs", "mount", target.value()));
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(mount(source).resolve("b")),
                Files.readAllBytes(mount(target).resolve("b"))), "the target has s2's data");
    }

    @Test
    void anInterruptedTransferResumesFromTheTargetsTokenEvenWhenTheOrderLostIt() throws IOException {
        DatasetName source = dataset(src, "resume");
        write(source, "data", 32 << 20, 4);
        SnapshotEntry s1 = zfs.createSnapshot(source.snapshot("s1"));
        DatasetName target = target("resume");
        TransferHandle slow = executor.start(new StartTransfer(UUID.randomUUID(), SOURCE, 1, UUID.randomUUID(), null,
                s1.name(), false, STANDBY, target, null, 4L << 20, false, LINK));
        await().atMost(WAIT).until(() -> slow.bytes() > (6 << 20));
        executor.cancel(slow.transferId(), "test interrupts it");
        TransferFailed failed = assertInstanceOf(TransferFailed.class, slow.outcome().join());
        assertTrue(failed.retriable(), failed.reason());
        assertNotNull(failed.resumeToken(), "receive -s kept the partial stream: " + failed.reason());

        // the controller lost the token (a stall is declared without one): the agent finds it on the target
        TransferFailed found = assertInstanceOf(TransferFailed.class, executor.start(
                order(null, s1.name(), false, target, null, false)).outcome().orTimeout(WAIT.toSeconds(),
                TimeUnit.SECONDS).join());
        assertTrue(found.retriable(), found.reason());
        assertEquals(failed.resumeToken(), found.resumeToken());

        TransferCompleted resumed = completed(executor.start(order(null, s1.name(), false, target, found.resumeToken(),
                false)));
        assertEquals(s1.guid(), resumed.snapshotGuid());
        assertTrue(resumed.bytes() < (32 << 20), "only the rest was sent: " + resumed.bytes());
    }

    @Test
    void aReplicaIsReceivedReadOnlyByTheReceiveItselfAndReadingItBreaksNothing() throws IOException {
        DatasetName source = dataset(src, "readonly");
        write(source, "a", 1 << 20, 7);
        SnapshotEntry s1 = zfs.createSnapshot(source.snapshot("s1"));
        DatasetName target = target("readonly");
        completed(executor.start(order(null, s1.name(), false, target, null, false)));
        // OpenZFS reports readonly truthfully (zfs-fuse does not): set by `receive -o`, no window after it
        assertEquals("on\tlocal", get(target, "readonly"));
        assertEquals("primary:" + source.value() + "\tlocal", get(target, "zsentinel:replica"));
        check(List.of("zfs", "mount", target.value()));
        Files.readAllBytes(mount(target).resolve("a"));
        write(source, "a", 1 << 20, 8);
        SnapshotEntry s2 = zfs.createSnapshot(source.snapshot("s2"));

        assertEquals(s2.guid(), completed(executor.start(order(s1.name(), s2.name(), false, target, null, false)))
                .snapshotGuid());
        assertEquals("on\tlocal", get(target, "readonly"));
        assertThrows(java.nio.file.FileSystemException.class, () -> write(target, "mine", 4096, 9));
    }

    @Test
    void aReplicaWrittenToIsReportedWrittenByTheInventoryScan() throws IOException {
        DatasetName source = dataset(src, "scanned");
        write(source, "a", 1 << 20, 5);
        SnapshotEntry s1 = zfs.createSnapshot(source.snapshot("s1"));
        DatasetName target = target("scanned");
        completed(executor.start(order(null, s1.name(), false, target, null, false)));
        InventoryScanner scanner = new InventoryScanner(zfs);
        assertEquals(0L, scanner.scanAll(dst).get(target).writtenBytes());
        check(List.of("zfs", "set", "readonly=off", target.value())); // an operator lifts the replica's protection
        check(List.of("zfs", "mount", target.value()));
        write(target, "oops", 1 << 20, 6);
        check(List.of("zpool", "sync", dst.value()));
        assertTrue(scanner.scanAll(dst).get(target).writtenBytes() > 0);
    }

    @Test
    void withSnapshotsChangedASteadyPoolIsScannedWithOneZfsCallAndANewSnapshotIsSeen() throws IOException {
        assumeTrue(zfs.features().snapshotsChanged(),
                "snapshots_changed is OpenZFS 2.2+: run with ZSENTINEL_OZFS_ZFS=backports");
        DatasetName ds = dataset(src, "steady");
        zfs.createSnapshot(ds.snapshot("s1"));
        ProcessCommandRunner counted = new ProcessCommandRunner();
        InventoryScanner scanner = new InventoryScanner(new ZfsDriver(counted, zfs.features()));
        await().atMost(WAIT).until(() -> {
            long before = counted.invocations();
            scanner.scanAll(src);
            return counted.invocations() - before == 1; // once the token's second is over, the listing is reused
        });
        zfs.createSnapshot(ds.snapshot("s2"));
        long before = counted.invocations();
        assertEquals(2, scanner.scanAll(src).get(ds).snapshots().size(), "the new snapshot is seen at once");
        assertTrue(counted.invocations() - before > 1, "its token moved: everything listed again");
    }

    private StartTransfer order(SnapshotName from, SnapshotName to, boolean intermediates, DatasetName target,
                                String resumeToken, boolean fromBookmark) {
        return new StartTransfer(UUID.randomUUID(), SOURCE, 1, UUID.randomUUID(), from, to, intermediates, STANDBY,
                target, resumeToken, 0, false, LINK, fromBookmark);
    }

    private static List<io.zsentinel.core.values.BookmarkName> cursors(DatasetName ds) {
        return zfs.listBookmarks(ds).stream().map(BookmarkInfo::name)
                .filter(b -> b.shortName().startsWith(CursorBookmarks.PREFIX)).toList();
    }

    private static TransferCompleted completed(TransferHandle handle) {
        return TransferTesting.completed(handle, WAIT);
    }

    private static DatasetName target(String name) {
        return DatasetName.of(dst.value()).child(name);
    }

    private static DatasetName dataset(PoolName pool, String name) {
        DatasetName ds = DatasetName.of(pool.value()).child(name);
        zfs.createDataset(ds);
        return ds;
    }

    private static Path mount(DatasetName ds) {
        return zfs.mountpoint(ds).orElseThrow();
    }

    private static void write(DatasetName ds, String file, int bytes, long seed) throws IOException {
        TransferTesting.writeIncompressible(mount(ds).resolve(file), bytes, seed);
    }

    private static String get(DatasetName ds, String property) {
        var r = runner.run(List.of("zfs", "get", "-H", "-o", "value,source", property, ds.value()), WAIT);
        assertTrue(r.succeeded(), r.errorText());
        return r.stdout().strip();
    }

    private static void check(List<String> command) {
        var r = runner.run(command, WAIT);
        assertTrue(r.succeeded(), command + ": " + r.errorText());
    }
}
