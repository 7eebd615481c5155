package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.agentcommands.AgentCommand;
import io.zsentinel.core.messages.agentcommands.DestroySnapshot;
import io.zsentinel.core.messages.agentcommands.HoldSnapshot;
import io.zsentinel.core.messages.agentcommands.ReleaseHold;
import io.zsentinel.core.messages.agentcommands.RestoreFromSnapshot;
import io.zsentinel.core.messages.agentcommands.RollbackDataset;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.CommandCompleted;
import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.messages.facts.SnapshotDestroyed;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.SnapshotEntry;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsErrorKind;
import io.zsentinel.core.zfs.ZfsException;
import io.zsentinel.core.zfs.ZfsTestPools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rollback, restore, hold and release through the executor, on real zfs-fuse pools. */
class CommandExecutorZfsIT {
    private static final ServerId SERVER = new ServerId("primary");
    private static final long EPOCH = 1;

    @TempDir
    static Path tempDir;

    static ZfsTestPools pools;
    static PoolName pool;
    static ZfsDriver zfs;
    static Path restoreDir;
    static CommandExecutor executor;

    @BeforeAll
    static void pools() {
        pools = ZfsTestPools.open(tempDir, "ztagent");
        pool = pools.createPool("a", 128L << 20);
        zfs = ZfsDriver.detect(pools.runner(), pool);
        restoreDir = tempDir.resolve("restore");
        executor = new CommandExecutor(SERVER, zfs, restoreDir);
    }

    @AfterAll
    static void destroyPools() {
        if (pools != null) {
            pools.close();
        }
    }

    private static DatasetName dataset(String name) {
        DatasetName ds = DatasetName.of(pool.value()).child(name);
        zfs.createDataset(ds);
        return ds;
    }

    private static Path live(DatasetName ds) {
        return zfs.mountpoint(ds).orElseThrow();
    }

    private static AgentFact run(AgentCommand command) {
        return executor.execute(command).orElseThrow();
    }

    private static String completed(AgentCommand command) {
        AgentFact fact = run(command);
        CommandCompleted done = assertInstanceOf(CommandCompleted.class, fact, () -> fact.toString());
        assertEquals(command.commandId(), done.commandId());
        assertEquals(command.getClass().getSimpleName(), done.commandType());
        return done.detail();
    }

    private static String rejected(AgentCommand command) {
        AgentFact fact = run(command);
        CommandRejected no = assertInstanceOf(CommandRejected.class, fact, () -> fact.toString());
        assertEquals(command.commandId(), no.commandId());
        return no.reason();
    }

    private static RestoreFromSnapshot restore(SnapshotName snapshot, String path) {
        return new RestoreFromSnapshot(UUID.randomUUID(), SERVER, EPOCH, snapshot, path, "");
    }

    private static void assertNoRestoreClones() throws IOException {
        assertTrue(zfs.listDatasets(DatasetName.of(pool.value())).stream().noneMatch(d -> ZfsDriver.isRestoreClone(d.name())),
                "temporary clones destroyed");
        Path mounts = restoreDir.resolve(".snapshot-mounts");
        if (Files.exists(mounts)) {
            try (Stream<Path> left = Files.list(mounts)) {
                assertEquals(List.of(), left.toList(), "clone mountpoints removed");
            }
        }
    }

    @Test
    void restoresAFileAndATreeFromASnapshotWithoutTouchingTheLiveDataset() throws IOException {
        DatasetName ds = dataset("files");
        Path mnt = live(ds);
        byte[] big = new byte[300 * 1024];
        new Random(42).nextBytes(big);
        Files.createDirectories(mnt.resolve("data"));
        Files.write(mnt.resolve("data/big.bin"), big);
        Files.createDirectories(mnt.resolve("docs/sub"));
        Files.writeString(mnt.resolve("docs/a.txt"), "alpha");
        Files.writeString(mnt.resolve("docs/sub/b.txt"), "beta");
        Files.createSymbolicLink(mnt.resolve("docs/link"), Path.of("a.txt"));
        Files.createSymbolicLink(mnt.resolve("docs/passwd"), Path.of("/etc/passwd"));
        SnapshotName snap = ds.snapshot("before delete");
        zfs.createSnapshot(snap);
        Files.delete(mnt.resolve("data/big.bin"));
        try (Stream<Path> walk = Files.walk(mnt.resolve("docs"))) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }

        String fileDetail = completed(restore(snap, "data/big.bin"));
        Path base = restoreDir.resolve(pool.value() + "_files").resolve("before delete");
        assertArrayEquals(big, Files.readAllBytes(base.resolve("data/big.bin")));
        assertTrue(fileDetail.contains(base.resolve("data/big.bin").toString()), fileDetail);
        assertTrue(fileDetail.contains(big.length + " bytes"), fileDetail);

        String treeDetail = completed(restore(snap, "./docs/"));
        assertEquals("alpha", Files.readString(base.resolve("docs/a.txt")));
        assertEquals("beta", Files.readString(base.resolve("docs/sub/b.txt")));
        assertEquals(Path.of("a.txt"), Files.readSymbolicLink(base.resolve("docs/link")));
        // a link to outside inside a restored tree is recreated as a link, never followed or copied
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(base.resolve("docs/passwd")));
        assertTrue(treeDetail.contains("2 files, 2 directories, 2 symbolic links"), treeDetail);
        assertTrue(treeDetail.contains("9 bytes"), treeDetail);

        assertFalse(Files.exists(mnt.resolve("data/big.bin")), "the live dataset is untouched");
        assertFalse(Files.exists(mnt.resolve("docs"), LinkOption.NOFOLLOW_LINKS), "the live dataset is untouched");
        assertNoRestoreClones();

        String again = rejected(restore(snap, "data/big.bin"));
        assertTrue(again.contains("already exists and is never overwritten"), again);
        assertArrayEquals(big, Files.readAllBytes(base.resolve("data/big.bin")));

        Path elsewhere = tempDir.resolve("elsewhere");
        completed(new RestoreFromSnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, "docs/a.txt", elsewhere.toString()));
        assertEquals("alpha", Files.readString(elsewhere.resolve(pool.value() + "_files/before delete/docs/a.txt")));
        assertNoRestoreClones();
    }

    @Test
    void pathsLeavingTheSnapshotAreRefusedAndLeaveNoClone() throws IOException {
        DatasetName ds = dataset("escape");
        Path mnt = live(ds);
        Files.writeString(mnt.resolve("inside.txt"), "inside");
        Files.createSymbolicLink(mnt.resolve("evil"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(mnt.resolve("up"), Path.of("../".repeat(30))); // up to / from wherever it is read
        Files.createSymbolicLink(mnt.resolve("alias"), Path.of("inside.txt"));
        SnapshotName snap = ds.snapshot("s1");
        zfs.createSnapshot(snap);

        assertTrue(rejected(restore(snap, "../x")).contains("'..' component"));
        assertTrue(rejected(restore(snap, "/etc/passwd")).contains("the path is absolute"));
        assertTrue(rejected(restore(snap, "a/../../x")).contains("'..' component"));
        assertTrue(rejected(restore(snap, "a\0b")).contains("NUL"));
        assertTrue(rejected(restore(snap, "")).contains("no path given"));
        String evil = rejected(restore(snap, "evil"));
        assertTrue(evil.contains("the symbolic link 'evil -> /etc/passwd' leads to /etc/passwd, outside the snapshot"), evil);
        String up = rejected(restore(snap, "up/etc/passwd"));
        assertTrue(up.contains("the symbolic link 'up -> ../../") && up.contains("leads to /, outside the snapshot"), up);
        assertTrue(rejected(restore(snap, "missing.txt")).contains("no such file or directory in the snapshot"));
        assertTrue(rejected(new RestoreFromSnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, "inside.txt", "relative/dir"))
                .contains("is not an absolute path"));
        String noSnapshot = rejected(restore(ds.snapshot("never-taken"), "inside.txt"));
        assertTrue(noSnapshot.contains("dataset does not exist"), noSnapshot);
        assertFalse(Files.exists(restoreDir.resolve(pool.value() + "_escape/s1/evil"), LinkOption.NOFOLLOW_LINKS));
        assertNoRestoreClones();

        // a link that stays inside the snapshot is followed: its target's content is restored
        completed(restore(snap, "alias"));
        assertEquals("inside", Files.readString(restoreDir.resolve(pool.value() + "_escape/s1/alias")));
        assertFalse(Files.isSymbolicLink(restoreDir.resolve(pool.value() + "_escape/s1/alias")));
        assertNoRestoreClones();
    }

    /**
     * A non-root user who can write in the target directory plants links at each level of the
     * restore's destination: the agent (root) must never write through one, nor overwrite anything.
     */
    @Test
    void aLinkAnywhereInTheDestinationIsRefusedAndNothingIsWrittenWhereItLeads() throws IOException {
        DatasetName ds = dataset("trap");
        Path mnt = live(ds);
        Files.writeString(mnt.resolve("ok.txt"), "restored");
        Files.createDirectories(mnt.resolve("docs/sub"));
        Files.writeString(mnt.resolve("docs/sub/a.txt"), "alpha");
        Files.setPosixFilePermissions(mnt.resolve("docs/sub/a.txt"), PosixFilePermissions.fromString("r--r-----"));
        Files.setAttribute(mnt.resolve("docs/sub/a.txt"), "unix:uid", 1234);
        Files.setLastModifiedTime(mnt.resolve("docs/sub/a.txt"), FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
        Files.setPosixFilePermissions(mnt.resolve("docs/sub"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(mnt.resolve("docs/sub"), FileTime.from(Instant.parse("2021-01-02T03:04:05Z")));
        SnapshotName snap = ds.snapshot("check-2");
        zfs.createSnapshot(snap);
        String datasetDir = pool.value() + "_trap";
        List<String> levels = List.of("", datasetDir, datasetDir + "/check-2", datasetDir + "/check-2/docs",
                datasetDir + "/check-2/docs/sub");

        for (int level = 0; level < levels.size(); level++) {
            Path base = tempDir.resolve("trap" + level);
            Path elsewhere = Files.createDirectories(tempDir.resolve("elsewhere" + level));
            Path link = base.resolve(levels.get(level));
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, elsewhere);
            for (String path : List.of("ok.txt", "docs/sub/a.txt", "docs")) {
                if (level >= 3 && !path.equals("docs/sub/a.txt")) {
                    continue; // not on this restore's way, or its final name (below)
                }
                String reason = rejected(new RestoreFromSnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, path,
                        base.toString()));
                assertTrue(reason.contains(link + " is a symbolic link (to " + elsewhere + ")"), level + " " + path + ": " + reason);
                assertTrue(reason.contains("never writes through a link"), reason);
                try (Stream<Path> written = Files.list(elsewhere)) {
                    assertEquals(List.of(), written.toList(), "nothing written where the link at level " + level + " leads");
                }
            }
        }
        assertNoRestoreClones();

        // the final name itself a link, a file or a directory: never replaced, never written through
        Path base = tempDir.resolve("final");
        Path snapshotDir = Files.createDirectories(base.resolve(datasetDir).resolve("check-2"));
        Path elsewhere = Files.createDirectories(tempDir.resolve("elsewhere-final"));
        Files.createSymbolicLink(snapshotDir.resolve("ok.txt"), elsewhere.resolve("ok.txt"));
        Files.writeString(Files.createDirectories(snapshotDir.resolve("docs")).resolve("mine.txt"), "mine");
        assertTrue(rejected(new RestoreFromSnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, "ok.txt", base.toString()))
                .contains("already exists and is never overwritten"));
        assertTrue(rejected(new RestoreFromSnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, "docs", base.toString()))
                .contains("already exists and is never overwritten"));
        assertFalse(Files.exists(elsewhere.resolve("ok.txt"), LinkOption.NOFOLLOW_LINKS));
        try (Stream<Path> docs = Files.list(snapshotDir.resolve("docs"))) {
            assertEquals(List.of(snapshotDir.resolve("docs/mine.txt")), docs.toList());
        }
        assertEquals("mine", Files.readString(snapshotDir.resolve("docs/mine.txt")));

        // a directory below the target directory that someone else made is not written into
        Path foreign = tempDir.resolve("foreign");
        Path theirs = Files.createDirectories(foreign.resolve(datasetDir));
        Files.setAttribute(theirs, "unix:uid", 65534);
        String notOurs = rejected(new RestoreFromSnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, "ok.txt", foreign.toString()));
        assertTrue(notOurs.contains(theirs + " belongs to"), notOurs);
        try (Stream<Path> written = Files.list(theirs)) {
            assertEquals(List.of(), written.toList());
        }
        Files.setAttribute(theirs, "unix:uid", 0);
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwxrwxrwx"));
        String open = rejected(new RestoreFromSnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, "ok.txt", foreign.toString()));
        assertTrue(open.contains(theirs + " can be changed by other users (mode rwxrwxrwx)"), open);

        // the way the links stood in is still restored to once it is clear, in directories the restore makes
        completed(new RestoreFromSnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, "docs", tempDir.resolve("clear").toString()));
        Path restored = tempDir.resolve("clear").resolve(datasetDir).resolve("check-2/docs/sub");
        assertEquals("alpha", Files.readString(restored.resolve("a.txt")));
        assertEquals("r--r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(restored.resolve("a.txt"))));
        assertEquals(1234, Files.getAttribute(restored.resolve("a.txt"), "unix:uid"));
        assertEquals(Instant.parse("2020-01-02T03:04:05Z"), Files.getLastModifiedTime(restored.resolve("a.txt")).toInstant());
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(restored)));
        assertEquals(Instant.parse("2021-01-02T03:04:05Z"), Files.getLastModifiedTime(restored).toInstant());
        assertNoRestoreClones();
    }

    @Test
    void rollbackRefusesNewerSnapshotsUnlessToldToDestroyThem() throws IOException {
        DatasetName ds = dataset("rollback");
        Path file = live(ds).resolve("f.txt");
        Files.writeString(file, "v1");
        SnapshotName s1 = ds.snapshot("s1");
        zfs.createSnapshot(s1);
        Files.writeString(file, "v2");
        SnapshotName s2 = ds.snapshot("s2");
        zfs.createSnapshot(s2);
        Files.writeString(file, "v3");

        String refused = rejected(new RollbackDataset(UUID.randomUUID(), SERVER, EPOCH, s1, false));
        assertTrue(refused.contains("newer snapshots exist: @s2"), refused);
        assertTrue(refused.contains("--destroy-newer"), refused);
        assertEquals("v3", Files.readString(file), "data unchanged");
        assertTrue(zfs.snapshotExists(s2));
        ZfsException direct = assertThrows(ZfsException.class, () -> zfs.rollback(s1, false));
        assertEquals(ZfsErrorKind.NEWER_SNAPSHOTS_EXIST, direct.kind());
        assertTrue(direct.getMessage().contains("newer snapshots exist: " + s2.full()), direct.getMessage());

        RollbackDataset rollback = new RollbackDataset(UUID.randomUUID(), SERVER, EPOCH, s1, true);
        String done = completed(rollback);
        assertTrue(done.contains("rolled back " + ds + " to " + s1), done);
        assertTrue(done.contains("destroyed newer snapshots: @s2"), done);
        assertEquals("v1", Files.readString(file));
        assertFalse(zfs.snapshotExists(s2));
        assertEquals(List.of(s1), zfs.listSnapshots(ds).stream().map(SnapshotEntry::name).toList());

        // a redelivered command is answered, not run again (it would discard writes made since)
        Files.writeString(file, "v4");
        AgentFact replay = run(rollback);
        assertEquals(done, ((CommandCompleted) replay).detail());
        assertEquals("v4", Files.readString(file));

        String missing = rejected(new RollbackDataset(UUID.randomUUID(), SERVER, EPOCH, ds.snapshot("nope"), true));
        assertTrue(missing.contains("does not exist"), missing);
    }

    @Test
    void holdAndReleaseAreCheckedByGuidAndIdempotent() {
        DatasetName ds = dataset("held");
        SnapshotName snap = ds.snapshot("base");
        Guid guid = zfs.createSnapshot(snap).guid();
        String tag = "zsentinel:base:standby-b";

        HoldSnapshot hold = new HoldSnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, guid, tag);
        assertTrue(completed(hold).contains("placed hold '" + tag + "' on " + snap));
        assertEquals(1, userRefs(ds, snap));
        assertSame(run(hold), run(hold), "a redelivered command gets the remembered answer");
        assertTrue(completed(new HoldSnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, guid, tag))
                .contains("was already on"));
        assertEquals(1, userRefs(ds, snap));

        assertEquals(ZfsErrorKind.BUSY, assertThrows(ZfsException.class, () -> zfs.destroySnapshot(snap)).kind());
        assertTrue(rejected(new DestroySnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, guid)).contains("busy"));

        Guid wrong = Guid.parse("12345");
        String impostor = rejected(new HoldSnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, wrong, "zsentinel:other"));
        assertTrue(impostor.contains("now has guid " + guid + ", not " + wrong), impostor);
        assertTrue(rejected(new ReleaseHold(UUID.randomUUID(), SERVER, EPOCH, snap, wrong, tag)).contains("different snapshot"));
        assertEquals(1, userRefs(ds, snap));

        assertTrue(completed(new ReleaseHold(UUID.randomUUID(), SERVER, EPOCH, snap, guid, tag)).contains("released hold"));
        assertEquals(0, userRefs(ds, snap));
        assertTrue(completed(new ReleaseHold(UUID.randomUUID(), SERVER, EPOCH, snap, guid, tag)).contains("was not on"));
        assertEquals(0, userRefs(ds, snap));

        assertInstanceOf(SnapshotDestroyed.class, run(new DestroySnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, guid)));
        assertFalse(zfs.snapshotExists(snap));
        assertTrue(completed(new ReleaseHold(UUID.randomUUID(), SERVER, EPOCH, snap, guid, tag)).contains("no longer exists"));
        assertTrue(rejected(new HoldSnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, guid, tag)).contains("does not exist"));
    }

    @Test
    void inventoryCarriesHoldsAndLeavesOutRestoreClones() {
        DatasetName ds = dataset("inventory");
        SnapshotName snap = ds.snapshot("s");
        Guid guid = zfs.createSnapshot(snap).guid();
        completed(new HoldSnapshot(UUID.randomUUID(), SERVER, EPOCH, snap, guid, "zsentinel:inv"));
        DatasetName clone = DatasetName.of(pool.value()).child(ZfsDriver.RESTORE_CLONE_PREFIX + "inflight");
        zfs.clone(snap, clone, tempDir.resolve("inflight"));
        try {
            Map<DatasetName, List<SnapshotInfo>> inventory = InventoryCostIT.snapshots(new InventoryScanner(zfs).scanAll(pool));
            assertEquals(1, inventory.get(ds).get(0).userRefs());
            assertFalse(inventory.containsKey(clone), "a restore's temporary clone is not inventory");
        } finally {
            zfs.destroyDataset(clone);
            completed(new ReleaseHold(UUID.randomUUID(), SERVER, EPOCH, snap, guid, "zsentinel:inv"));
        }
        assertEquals(0, new InventoryScanner(zfs).scanAll(pool).get(ds).snapshots().get(0).userRefs());
    }

    @Test
    void clonesLeftByAKilledAgentAreRemoved() {
        DatasetName ds = dataset("crashed");
        SnapshotName snap = ds.snapshot("s");
        zfs.createSnapshot(snap);
        DatasetName clone = DatasetName.of(pool.value()).child(ZfsDriver.RESTORE_CLONE_PREFIX + "killed");
        Path mountpoint = tempDir.resolve("killed-mount");
        zfs.clone(snap, clone, mountpoint, true);

        assertEquals(List.of(clone), executor.removeLeftoverRestoreClones(List.of(pool)));
        assertFalse(zfs.datasetExists(clone));
        assertFalse(Files.exists(mountpoint));
        assertTrue(zfs.snapshotExists(snap));
        assertEquals(List.of(), executor.removeLeftoverRestoreClones(List.of(pool)));
    }

    /** Through the one recursive listing the inventory scan uses. */
    private static long userRefs(DatasetName ds, SnapshotName snap) {
        return zfs.listSnapshots(ds).stream().filter(s -> s.name().equals(snap)).findFirst().orElseThrow().userRefs();
    }
}
