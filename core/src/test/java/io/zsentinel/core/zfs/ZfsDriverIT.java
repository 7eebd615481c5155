package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.SnapshotName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver against real zfs-fuse pools on files. */
class ZfsDriverIT {
    @TempDir
    static Path tempDir;

    static ZfsTestPools pools;
    static PoolName pool;
    static ProcessCommandRunner runner;
    static ZfsDriver zfs;

    @BeforeAll
    static void pools() {
        pools = ZfsTestPools.open(tempDir, "ztdrv");
        pool = pools.createPool("a", 128L << 20);
        runner = pools.runner();
        zfs = ZfsDriver.detect(runner, pool);
    }

    @AfterAll
    static void destroyPools() {
        if (pools != null) {
            pools.close();
        }
    }

    private static DatasetName root() {
        return DatasetName.of(pool.value());
    }

    @Test
    void featureDetectionOnZfsFuse() {
        ZfsFeatures f = zfs.features();
        assertFalse(f.parsableList());
        assertFalse(f.parsablePoolList());
        assertFalse(f.bookmarks());
        assertFalse(f.holdListing());
        assertFalse(f.resumeTokens());
        assertFalse(f.snapshotsChanged());
        assertFalse(f.sendEstimate());
        assertTrue(f.userHolds());
        assertEquals(ZfsFeatures.ZFS_FUSE, f);
    }

    @Test
    void snapshotsAreListedInOneCallWithTheGuidsZfsGetPrints() {
        DatasetName ds = root().child("list").child("deep");
        zfs.createDataset(ds);
        SnapshotEntry s1 = zfs.createSnapshot(ds.snapshot("s1"));
        SnapshotEntry s2 = zfs.createSnapshot(ds.snapshot("s2"));
        SnapshotEntry parent = zfs.createSnapshot(root().child("list").snapshot("p1"));

        long before = runner.invocations();
        List<SnapshotEntry> listed = zfs.listSnapshots(root().child("list"));
        assertEquals(1, runner.invocations() - before, "one zfs call for the whole tree");

        assertEquals(List.of(parent, s1, s2), listed);
        assertTrue(s2.createtxg() > s1.createtxg(), "createtxg increases");
        for (SnapshotEntry s : listed) {
            // zfs-fuse prints guids rounded ("8.51E") without -p
            CommandResult get = runner.run(List.of("zfs", "get", "-H", "-p", "-o", "value", "guid", s.name().full()),
                    Duration.ofSeconds(30));
            assertEquals(Guid.parse(get.stdout().strip()), s.guid());
        }
        Instant now = Instant.now();
        assertTrue(Duration.between(s1.creation(), now).abs().getSeconds() < 120, "creation near now: " + s1.creation());
        assertTrue(s1.referenced() > 0);
    }

    @Test
    void destroyedSnapshotIsGone() {
        DatasetName ds = root().child("destroy");
        zfs.createDataset(ds);
        SnapshotName name = ds.snapshot("doomed");
        zfs.createSnapshot(name);
        assertTrue(zfs.snapshotExists(name));

        zfs.destroySnapshot(name);

        assertFalse(zfs.snapshotExists(name));
        assertTrue(zfs.listSnapshots(ds).isEmpty());
        ZfsException again = assertThrows(ZfsException.class, () -> zfs.destroySnapshot(name));
        assertEquals(ZfsErrorKind.DATASET_MISSING, again.kind());
    }

    @Test
    void snapshotNameWithASpaceWorksEndToEnd() {
        DatasetName ds = root().child("with space");
        zfs.createDataset(ds);
        SnapshotName name = ds.snapshot("before upgrade");
        SnapshotEntry created = zfs.createSnapshot(name);
        assertEquals(name, created.name());
        assertEquals(List.of(created), zfs.listSnapshots(ds));
        zfs.destroySnapshot(name);
        assertEquals(List.of(), zfs.listSnapshots(ds));
    }

    @Test
    void missingDatasetIsClassifiedAndCarriesStderr() {
        DatasetName missing = root().child("no-such-dataset");
        ZfsException e = assertThrows(ZfsException.class, () -> zfs.listSnapshots(missing));
        assertEquals(ZfsErrorKind.DATASET_MISSING, e.kind());
        assertFalse(e.retriable());
        assertTrue(e.stderr().contains("dataset does not exist"), e.stderr());
        assertEquals(1, e.exitCode());
        assertTrue(e.command().contains(missing.value()));
        assertTrue(e.getMessage().contains("'" + missing.value() + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("zpool list"), e.getMessage());
    }

    @Test
    void snapshotTwiceIsAlreadyExists() {
        DatasetName ds = root().child("twice");
        zfs.createDataset(ds);
        zfs.createSnapshot(ds.snapshot("s"));
        ZfsException e = assertThrows(ZfsException.class, () -> zfs.createSnapshot(ds.snapshot("s")));
        assertEquals(ZfsErrorKind.ALREADY_EXISTS, e.kind());
    }

    @Test
    void heldSnapshotIsBusyUntilReleased() {
        DatasetName ds = root().child("held");
        zfs.createDataset(ds);
        SnapshotName name = ds.snapshot("base");
        zfs.createSnapshot(name);
        zfs.hold("zsentinel-base", name);
        assertEquals(1, zfs.userRefs(name));
        long before = runner.invocations();
        assertEquals(1, zfs.listSnapshots(ds).get(0).userRefs(), "the one recursive listing reads the holds too");
        assertEquals(1, runner.invocations() - before);
        assertEquals(ZfsErrorKind.ALREADY_EXISTS,
                assertThrows(ZfsException.class, () -> zfs.hold("zsentinel-base", name)).kind());

        ZfsException busy = assertThrows(ZfsException.class, () -> zfs.destroySnapshot(name));
        assertEquals(ZfsErrorKind.BUSY, busy.kind());
        assertTrue(busy.retriable());
        assertEquals(ZfsErrorKind.UNSUPPORTED, assertThrows(ZfsException.class, () -> zfs.holds(name)).kind());

        zfs.release("zsentinel-base", name);
        assertEquals(0, zfs.userRefs(name));
        assertEquals(0, zfs.listSnapshots(ds).get(0).userRefs());
        assertEquals(ZfsErrorKind.NO_SUCH_HOLD,
                assertThrows(ZfsException.class, () -> zfs.release("zsentinel-base", name)).kind());
        zfs.destroySnapshot(name);
    }

    @Test
    void rollbackNeedsDestroyNewerWhenNewerSnapshotsExist() throws Exception {
        DatasetName ds = root().child("rollback");
        zfs.createDataset(ds);
        Path file = zfs.mountpoint(ds).orElseThrow().resolve("f");
        Files.writeString(file, "one");
        zfs.createSnapshot(ds.snapshot("one"));
        Files.writeString(file, "two");
        zfs.createSnapshot(ds.snapshot("two"));

        ZfsException refused = assertThrows(ZfsException.class, () -> zfs.rollback(ds.snapshot("one"), false));
        assertEquals(ZfsErrorKind.NEWER_SNAPSHOTS_EXIST, refused.kind());
        assertTrue(refused.getMessage().contains("newer snapshots exist: " + ds.snapshot("two").full()
                + "; use --destroy-newer"), refused.getMessage());
        assertEquals("two", Files.readString(file));

        zfs.rollback(ds.snapshot("one"), true);
        assertEquals("one", Files.readString(file));
        assertFalse(zfs.snapshotExists(ds.snapshot("two")));
        assertEquals(ZfsErrorKind.DATASET_MISSING,
                assertThrows(ZfsException.class, () -> zfs.rollback(ds.snapshot("two"), false)).kind());
    }

    @Test
    void cloneMountsWhereToldAndIsDestroyedWithoutR() throws Exception {
        DatasetName ds = root().child("origin");
        zfs.createDataset(ds);
        Files.writeString(zfs.mountpoint(ds).orElseThrow().resolve("f"), "origin");
        zfs.createSnapshot(ds.snapshot("s"));
        DatasetName clone = root().child("copy");
        Path mountpoint = tempDir.resolve("clone mount");
        zfs.clone(ds.snapshot("s"), clone, mountpoint);
        assertEquals(Optional.of(mountpoint), zfs.mountpoint(clone));
        assertEquals("origin", Files.readString(mountpoint.resolve("f")));

        zfs.destroyDataset(clone); // zfs-fuse calls a fresh clone busy for a moment: retried
        assertFalse(zfs.datasetExists(clone));
        assertTrue(zfs.snapshotExists(ds.snapshot("s")));
        assertEquals(ZfsErrorKind.DATASET_MISSING, assertThrows(ZfsException.class, () -> zfs.destroyDataset(clone)).kind());
    }

    @Test
    void zfsFuseHasNoSnapshotDirectorySoSnapshotsAreReadThroughATemporaryReadOnlyClone() throws Exception {
        DatasetName ds = root().child("snapdir");
        zfs.createDataset(ds);
        Path live = zfs.mountpoint(ds).orElseThrow();
        Files.writeString(live.resolve("f"), "in the snapshot");
        SnapshotName snap = ds.snapshot("s");
        zfs.createSnapshot(snap);
        assertFalse(Files.exists(live.resolve(".zfs")), "zfs-fuse has no .zfs directory, not even hidden");
        assertEquals(Optional.empty(), zfs.snapshotDirectory(snap));

        Path mounts = tempDir.resolve("mounts");
        DatasetName clone;
        try (SnapshotMount mount = zfs.mountSnapshot(snap, mounts)) {
            clone = mount.clone().orElseThrow();
            assertTrue(ZfsDriver.isRestoreClone(clone));
            assertEquals("in the snapshot", Files.readString(mount.root().resolve("f")));
            assertThrows(java.io.IOException.class, () -> Files.writeString(mount.root().resolve("g"), "x"),
                    "the clone is read-only");
        }
        assertFalse(zfs.datasetExists(clone));
        try (var left = Files.list(mounts)) {
            assertEquals(List.of(), left.toList(), "the clone's mountpoint directory is removed");
        }

        ZfsException missing = assertThrows(ZfsException.class, () -> zfs.mountSnapshot(ds.snapshot("nope"), mounts));
        assertEquals(ZfsErrorKind.DATASET_MISSING, missing.kind());
        assertTrue(zfs.listDatasets(root()).stream().noneMatch(d -> ZfsDriver.isRestoreClone(d.name())));
    }

    @Test
    void datasetsAreListedWithMountpoints() {
        DatasetName ds = root().child("ds").child("child");
        zfs.createDataset(ds);
        List<DatasetEntry> listed = zfs.listDatasets(root().child("ds"));
        assertEquals(List.of(root().child("ds"), ds), listed.stream().map(DatasetEntry::name).toList());
        DatasetEntry child = listed.get(1);
        assertEquals(DatasetType.FILESYSTEM, child.type());
        assertEquals(pools.mountpoint(pool).resolve("ds/child").toString(), child.mountpoint().orElseThrow());
        assertTrue(child.available() > 0);
    }

    @Test
    void poolIsListedOnlineWithItsCapacity() {
        PoolEntry entry = zfs.listPools().stream().filter(p -> p.name().equals(pool)).findFirst().orElseThrow();
        assertEquals(PoolHealth.ONLINE, entry.health());
        assertTrue(entry.size() > 100L << 20 && entry.size() <= 128L << 20, "size " + entry.size());
        assertTrue(entry.allocated() > 0);
        assertTrue(entry.capacityPercent() >= 0 && entry.capacityPercent() < 50);
    }

    @Test
    void onlinePoolStatus() {
        PoolStatus status = zfs.poolStatus(pool);
        assertEquals(pool, status.pool());
        assertEquals(PoolHealth.ONLINE, status.state());
        assertEquals(pools.vdevFiles(pool).get(0).toString(), status.vdevs().get(1).name());
        assertTrue(status.noKnownDataErrors());
    }

    @Test
    void mirrorWithAnEmptiedSideDegradesAfterAScrub() throws Exception {
        PoolName mirror = pools.createMirror("m", 96L << 20);
        try {
            Path victim = pools.vdevFiles(mirror).get(1);
            assertEquals(PoolHealth.ONLINE, zfs.poolStatus(mirror).state());
            try (RandomAccessFile raf = new RandomAccessFile(victim.toFile(), "rw")) {
                raf.setLength(0); // truncate -s 0
            }
            zfs.scrub(mirror);
            await("mirror DEGRADED with " + victim + " UNAVAIL").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        PoolStatus s = zfs.poolStatus(mirror);
                        return s.state() == PoolHealth.DEGRADED
                                && s.vdev(victim.toString()).map(v -> v.state() == PoolHealth.UNAVAIL).orElse(false);
                    });
            PoolStatus degraded = zfs.poolStatus(mirror);
            assertEquals(PoolHealth.DEGRADED, degraded.vdev("mirror-0").orElseThrow().state());
            assertEquals(PoolHealth.ONLINE, degraded.vdev(pools.vdevFiles(mirror).get(0).toString()).orElseThrow().state());
            assertEquals(PoolHealth.DEGRADED, zfs.listPools().stream().filter(p -> p.name().equals(mirror))
                    .findFirst().orElseThrow().health());
        } finally {
            pools.destroy(mirror);
        }
    }
}
