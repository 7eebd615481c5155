package io.zsentinel.core.zfs;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What zsentinel uses of OpenZFS that zfs-fuse lacks, on real OpenZFS pools: bookmarks, {@code written},
 * resumable receives. Tagged {@code openzfs}: excluded from the default suite (the CI machine has only
 * zfs-fuse) and run inside an OpenZFS VM by {@code scripts/openzfs-vm.sh} (see README, Testing).
 */
@Tag("openzfs")
class OpenZfsDriverIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static ZfsTestPools pools;
    static PoolName pool;
    static ZfsDriver zfs;
    static ProcessCommandRunner runner;

    @BeforeAll
    static void pool() {
        pools = ZfsTestPools.open(dir, "zozfs");
        pool = pools.createPool("p", 256L << 20);
        runner = pools.runner();
        zfs = ZfsDriver.detect(runner, pool);
    }

    @AfterAll
    static void destroy() {
        if (pools != null) {
            pools.close();
        }
    }

    @Test
    void openzfsHasEverythingZfsFuseLacks() {
        ZfsFeatures f = zfs.features();
        assertTrue(f.bookmarks() && f.resumeTokens() && f.written() && f.parsableList() && f.holdListing()
                        && f.receiveProperties(),
                f.toString());
    }

    @Test
    void aBookmarkKeepsTheGuidAndTxgOfItsSnapshotAfterTheSnapshotIsGone() throws IOException {
        DatasetName ds = dataset("marks");
        write(ds, "a", 1 << 20, 1);
        SnapshotEntry a = zfs.createSnapshot(ds.snapshot("a"));
        BookmarkName mark = new BookmarkName(ds, "zsentinel-cursor-0123456789ab-" + a.guid());
        zfs.createBookmark(a.name(), mark);
        zfs.destroySnapshot(a.name());
        List<BookmarkInfo> listed = zfs.listBookmarks(DatasetName.of(pool.value()));
        assertEquals(List.of(new BookmarkInfo(mark, a.guid(), a.createtxg(), a.creation())), listed);
        assertEquals(a.guid(), zfs.bookmarkGuid(mark));
        zfs.destroyBookmark(mark);
        assertEquals(List.of(), zfs.listBookmarks(ds));
    }

    @Test
    void writtenCountsWhatChangedSinceTheNewestSnapshot() throws IOException {
        DatasetName ds = dataset("written");
        zfs.createSnapshot(ds.snapshot("s1"));
        write(ds, "new", 1 << 20, 2);
        check(List.of("zpool", "sync", pool.value()));
        assertTrue(written(ds) >= 1 << 20, "written " + written(ds));
        zfs.createSnapshot(ds.snapshot("s2"));
        assertEquals(0, written(ds));
    }

    @Test
    void anInterruptedResumableReceiveLeavesATokenAndSendTFinishesIt() throws Exception {
        DatasetName ds = dataset("resume");
        write(ds, "data", 32 << 20, 3);
        SnapshotEntry s1 = zfs.createSnapshot(ds.snapshot("s1"));
        DatasetName target = DatasetName.of(pool.value()).child("resumed");

        Process send = new ProcessBuilder(zfs.sendCommand(SendSpec.full(s1.name()))).start();
        Process receive = new ProcessBuilder(zfs.receiveCommand(ReceiveSpec.of(target))).start();
        try (InputStream in = send.getInputStream(); OutputStream out = receive.getOutputStream()) {
            byte[] buffer = new byte[1 << 16];
            for (long moved = 0; moved < (8 << 20); ) {
                int n = in.read(buffer);
                out.write(buffer, 0, n);
                moved += n;
            }
            send.destroyForcibly();
        }
        assertTrue(receive.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(receive.exitValue() != 0, "a truncated stream is refused");
        Optional<String> token = zfs.receiveResumeToken(target);
        assertTrue(token.isPresent(), "receive -s keeps the partial stream and names it by a token");

        List<Process> rest = ProcessBuilder.startPipeline(List.of(
                new ProcessBuilder(zfs.sendCommand(SendSpec.resume(token.get(), s1.name()))),
                new ProcessBuilder(zfs.receiveCommand(ReceiveSpec.of(target)))));
        for (Process p : rest) {
            assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes()));
        }
        assertEquals(s1.guid(), zfs.snapshotGuid(target.snapshot("s1")));
        assertEquals(Optional.empty(), zfs.receiveResumeToken(target));
    }

    private static long written(DatasetName ds) {
        return zfs.listDatasets(ds).stream().filter(d -> d.name().equals(ds)).findFirst().orElseThrow().written()
                .orElseThrow();
    }

    private static DatasetName dataset(String name) {
        DatasetName ds = DatasetName.of(pool.value()).child(name);
        zfs.createDataset(ds);
        return ds;
    }

    private static void write(DatasetName ds, String file, int bytes, long seed) throws IOException {
        Path mount = zfs.mountpoint(ds).orElseThrow();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(mount.resolve(file))) {
            for (int done = 0; done < bytes; done += block.length) {
                for (int i = 0; i < block.length; i++) {
                    block[i] = (byte) random.nextInt();
                }
                out.write(block, 0, Math.min(block.length, bytes - done));
            }
        }
    }

    private static void check(List<String> command) {
        CommandResult r = runner.run(command, WAIT);
        assertTrue(r.succeeded(), command + ": " + r.errorText());
    }
}
