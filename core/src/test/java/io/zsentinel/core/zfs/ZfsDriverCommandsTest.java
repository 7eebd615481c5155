package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.SnapshotName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands the driver composes per feature set, against a scripted runner. */
class ZfsDriverCommandsTest {

    static final class ScriptedRunner implements CommandRunner {
        final List<List<String>> commands = new ArrayList<>();
        final Function<List<String>, CommandResult> script;

        ScriptedRunner(Function<List<String>, CommandResult> script) {
            this.script = script;
        }

        @Override
        public CommandResult run(List<String> command, Duration timeout) {
            commands.add(command);
            return script.apply(command);
        }

        @Override
        public long invocations() {
            return commands.size();
        }
    }

    static CommandResult ok(List<String> command, String stdout) {
        return new CommandResult(command, 0, stdout, "", false, Duration.ZERO);
    }

    static CommandResult fail(List<String> command, String stderr) {
        return new CommandResult(command, 1, "", stderr, false, Duration.ZERO);
    }

    @Test
    void openzfsListsSnapshotsWithListP() {
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, Captured.read("openzfs/list-snapshots-p.txt")));
        List<SnapshotEntry> s = new ZfsDriver(runner, ZfsFeatures.OPENZFS_2_2).listSnapshots(DatasetName.of("tank/vm1"));
        assertEquals(List.of(List.of("zfs", "list", "-H", "-p", "-t", "snapshot", "-o",
                "name,guid,createtxg,creation,used,referenced,userrefs", "-r", "tank/vm1")), runner.commands);
        assertEquals(4, s.size());
        assertEquals("tank/vm1", s.get(0).name().dataset().value());
    }

    @Test
    void zfsFuseListsSnapshotsWithGetP() {
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, Captured.read("zfs-fuse/get-snapshot-props-recursive.txt")));
        List<SnapshotEntry> s = new ZfsDriver(runner, ZfsFeatures.ZFS_FUSE).listSnapshots(DatasetName.of("ztcapx"));
        assertEquals(List.of(List.of("zfs", "get", "-H", "-p", "-r", "-o", "name,property,value",
                "guid,createtxg,creation,used,referenced,userrefs", "ztcapx")), runner.commands);
        // ordered by dataset, then createtxg
        assertEquals(List.of("ztcapx@r1", "ztcapx/a@s1", "ztcapx/a@r1", "ztcapx/a/b@r1", "ztcapx/a/b@with space"),
                s.stream().map(e -> e.name().full()).toList());
    }

    @Test
    void poolListUsesPWhereSupported() {
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, Captured.read("openzfs/zpool-list-p.txt")));
        new ZfsDriver(runner, ZfsFeatures.OPENZFS_2_2).listPools();
        assertEquals(List.of("zpool", "list", "-H", "-p", "-o", "name,size,allocated,free,capacity,health"),
                runner.commands.get(0));
    }

    @Test
    void openzfsHoldsAreListed() {
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, Captured.read("openzfs/holds-H.txt")));
        SnapshotName snap = SnapshotName.parse("tank/vm1@auto-2024-03-10_00.00");
        assertEquals(Set.of("keep", "zsentinel:base:standby-b"), new ZfsDriver(runner, ZfsFeatures.OPENZFS_2_2).holds(snap));
        assertEquals(List.of("zfs", "holds", "-H", snap.full()), runner.commands.get(0));
    }

    @Test
    void unsupportedHoldsFailWithoutRunningAnything() {
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, ""));
        ZfsFeatures none = new ZfsFeatures(false, false, false, false, false, false, false, false, false, false, false);
        ZfsDriver zfs = new ZfsDriver(runner, none);
        SnapshotName snap = SnapshotName.parse("tank@a");
        assertEquals(ZfsErrorKind.UNSUPPORTED, assertThrows(ZfsException.class, () -> zfs.hold("t", snap)).kind());
        assertEquals(ZfsErrorKind.UNSUPPORTED, assertThrows(ZfsException.class, () -> zfs.release("t", snap)).kind());
        assertEquals(ZfsErrorKind.UNSUPPORTED, assertThrows(ZfsException.class, () -> zfs.holds(snap)).kind());
        assertTrue(runner.commands.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new ZfsDriver(runner, ZfsFeatures.OPENZFS_2_2).hold("-r", snap));
    }

    @Test
    void destroyThatSilentlyLeavesTheSnapshotIsRetried() {
        int[] lookups = {0};
        ScriptedRunner runner = new ScriptedRunner(c -> {
            if (c.get(1).equals("list")) {
                // still there after the first destroy (zfs-fuse after a receive), gone after the second
                return ++lookups[0] == 1 ? ok(c, "tank@a\n") : fail(c, "cannot open 'tank@a': dataset does not exist\n");
            }
            return ok(c, "");
        });
        new ZfsDriver(runner, ZfsFeatures.ZFS_FUSE).destroySnapshot(SnapshotName.parse("tank@a"));
        assertEquals(2, runner.commands.stream().filter(c -> c.get(1).equals("destroy")).count());
    }

    @Test
    void featureProbesOnOpenzfs(@TempDir Path mountpoint) throws Exception {
        Files.createDirectories(mountpoint.resolve(".zfs/snapshot")); // as OpenZFS shows it under a mounted pool
        ScriptedRunner runner = new ScriptedRunner(c -> c.get(0).equals("zpool") && c.get(1).equals("get")
                ? ok(c, "active\n")
                : c.contains("tank@" + ZfsFeatures.PROBE)
                ? fail(c, "cannot open 'tank@" + ZfsFeatures.PROBE + "': dataset does not exist\n")
                : c.contains("mountpoint")
                ? ok(c, mountpoint + "\n")
                : c.get(1).equals("receive")
                ? fail(c, "cannot receive: failed to read from stream\n") // an empty stream: syntax accepted
                : ok(c, "-\n"));
        assertEquals(ZfsFeatures.OPENZFS_2_2, ZfsFeatures.detect(runner, PoolName.of("tank"), Duration.ofSeconds(5)));
        assertEquals(11, runner.commands.size());
        assertEquals(List.of("zfs", "get", "-H", "-p", "-o", "value", "mountpoint", "tank"), runner.commands.get(8));
        assertEquals(List.of("zfs", "get", "-H", "-o", "value", "written", "tank"), runner.commands.get(9));
        assertEquals(List.of("zfs", "receive", "-o", "readonly=on", "tank/" + ZfsFeatures.PROBE), runner.commands.get(10));
    }

    @Test
    void zfsFuseRefusesReceiveOptions() {
        ScriptedRunner runner = new ScriptedRunner(c -> c.get(1).equals("receive")
                ? fail(c, "invalid option 'o'\nusage:\n\treceive [-vnF] <filesystem|volume|snapshot>\n") // as zfs-fuse
                : ok(c, "-\n"));
        assertFalse(ZfsFeatures.detect(runner, PoolName.of("tank"), Duration.ofSeconds(5)).receiveProperties());
    }

    @Test
    void aReplicaIsKeptReadOnlyByOneSetPerProperty() {
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, ""));
        DatasetName replica = DatasetName.of("backup/vm 1");
        new ZfsDriver(runner, ZfsFeatures.ZFS_FUSE).keepReplicaReadOnly(replica, "primary:tank/vm 1");
        assertEquals(List.of(List.of("zfs", "set", "readonly=on", "backup/vm 1"),
                List.of("zfs", "set", "zsentinel:replica=primary:tank/vm 1", "backup/vm 1")), runner.commands);
        assertThrows(IllegalArgumentException.class, () -> new ZfsDriver(runner, ZfsFeatures.ZFS_FUSE)
                .keepReplicaReadOnly(replica, "primary:tank\u001b[31m"));
        assertEquals(2, runner.commands.size(), "nothing run for a refused value");
    }

    @Test
    void noSnapshotDirectoryWhenThePoolRootIsNotMounted() {
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, c.contains("mountpoint") ? "none\n" : "-\n"));
        assertFalse(ZfsFeatures.detect(runner, PoolName.of("tank"), Duration.ofSeconds(5)).snapshotDirectory());
    }

    @Test
    void rollbackRefusedForNewerSnapshotsNamesThem() {
        ScriptedRunner runner = new ScriptedRunner(c -> fail(c, "cannot rollback to 'tank/a@s1': more recent snapshots exist\n"
                + "use '-r' to force deletion of the following snapshots:\ntank/a@s2\ntank/a@s3\n"));
        ZfsDriver zfs = new ZfsDriver(runner, ZfsFeatures.ZFS_FUSE);
        ZfsException e = assertThrows(ZfsException.class, () -> zfs.rollback(SnapshotName.parse("tank/a@s1"), false));
        assertEquals(ZfsErrorKind.NEWER_SNAPSHOTS_EXIST, e.kind());
        assertFalse(e.retriable());
        assertTrue(e.getMessage().contains("newer snapshots exist: tank/a@s2, tank/a@s3; use --destroy-newer"),
                e.getMessage());
        assertTrue(e.stderr().contains("more recent snapshots exist"), "zfs' own text is kept");
        assertEquals(List.of("zfs", "rollback", "tank/a@s1"), runner.commands.get(0));
    }

    @Test
    void rollbackDestroyingNewerUsesR() {
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, ""));
        new ZfsDriver(runner, ZfsFeatures.ZFS_FUSE).rollback(SnapshotName.parse("tank/a@s1"), true);
        assertEquals(List.of(List.of("zfs", "rollback", "-r", "tank/a@s1")), runner.commands);
    }

    @Test
    void openzfsRollbackMessageWithBookmarksIsClassifiedToo() {
        assertEquals(ZfsErrorKind.NEWER_SNAPSHOTS_EXIST, ZfsErrorKind.classify(
                "cannot rollback to 'tank/a@s1': more recent snapshots or bookmarks exist\n"
                        + "use '-r' to force deletion of the following snapshots and bookmarks:\ntank/a@s2\n"));
        assertEquals(ZfsErrorKind.NO_SUCH_HOLD, ZfsErrorKind.classify(
                "cannot release 'zsentinel:x' from 'tank/a@s1': no such tag on this dataset\n"));
        assertEquals(ZfsErrorKind.ALREADY_EXISTS, ZfsErrorKind.classify(
                "cannot hold 'tank/a@s1': tag already exists on this dataset\n"));
    }

    @Test
    void cloneAndMountpointCommands() {
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, c.contains("mountpoint") ? "/srv/a b\n" : ""));
        ZfsDriver zfs = new ZfsDriver(runner, ZfsFeatures.ZFS_FUSE);
        zfs.clone(SnapshotName.parse("tank/a@s1"), DatasetName.of("tank/c"), Path.of("/mnt/c d"));
        zfs.clone(SnapshotName.parse("tank/a@s1"), DatasetName.of("tank/r"), Path.of("/mnt/r"), true);
        assertEquals(List.of("zfs", "clone", "-o", "mountpoint=/mnt/c d", "tank/a@s1", "tank/c"), runner.commands.get(0));
        assertEquals(List.of("zfs", "clone", "-o", "mountpoint=/mnt/r", "-o", "readonly=on", "tank/a@s1", "tank/r"),
                runner.commands.get(1));
        assertEquals(Optional.of(Path.of("/srv/a b")), zfs.mountpoint(DatasetName.of("tank/a")));
        assertEquals(List.of("zfs", "get", "-H", "-p", "-o", "value", "mountpoint", "tank/a"), runner.commands.get(2));
        assertThrows(IllegalArgumentException.class,
                () -> zfs.clone(SnapshotName.parse("tank/a@s1"), DatasetName.of("tank/c"), Path.of("rel")));
        ScriptedRunner legacy = new ScriptedRunner(c -> ok(c, "legacy\n"));
        assertEquals(Optional.empty(), new ZfsDriver(legacy, ZfsFeatures.ZFS_FUSE).mountpoint(DatasetName.of("tank/a")));
    }

    @Test
    void busyDatasetDestroyIsRetriedAndVerified() {
        int[] destroys = {0};
        ScriptedRunner runner = new ScriptedRunner(c -> {
            if (c.get(1).equals("destroy")) {
                return ++destroys[0] == 1 ? fail(c, "cannot destroy 'tank/c': dataset is busy\n") : ok(c, "");
            }
            // the check after each destroy: still there until a destroy went through
            return destroys[0] < 2 ? ok(c, "tank/c\n") : fail(c, "cannot open 'tank/c': dataset does not exist\n");
        });
        new ZfsDriver(runner, ZfsFeatures.ZFS_FUSE).destroyDataset(DatasetName.of("tank/c"));
        List<String> destroy = List.of("zfs", "destroy", "tank/c");
        List<String> check = List.of("zfs", "list", "-H", "-o", "name", "tank/c");
        assertEquals(List.of(destroy, check, destroy, check), runner.commands);
    }

    @Test
    void datasetWithChildrenIsNotSweptAway() {
        ScriptedRunner runner = new ScriptedRunner(c -> fail(c,
                "cannot destroy 'tank/c': filesystem has children\nuse '-r' to destroy the following datasets:\n"));
        assertThrows(ZfsException.class,
                () -> new ZfsDriver(runner, ZfsFeatures.ZFS_FUSE).destroyDataset(DatasetName.of("tank/c")));
        assertEquals(1, runner.commands.size(), "no retry, no -r");
    }

    @Test
    void snapshotIsReadInPlaceWhereDotZfsExists(@TempDir Path mountpoint) throws Exception {
        Files.createDirectories(mountpoint.resolve(".zfs/snapshot/s1"));
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, mountpoint + "\n"));
        try (SnapshotMount mount = new ZfsDriver(runner, ZfsFeatures.OPENZFS_2_2)
                .mountSnapshot(SnapshotName.parse("tank/a@s1"), mountpoint.resolve("clones"))) {
            assertEquals(mountpoint.resolve(".zfs/snapshot/s1"), mount.root());
            assertEquals(Optional.empty(), mount.clone());
        }
        assertEquals(1, runner.commands.size(), "one zfs get, nothing written");
    }

    @Test
    void restoreClonesAreRecognised() {
        assertTrue(ZfsDriver.isRestoreClone(DatasetName.of("tank/" + ZfsDriver.RESTORE_CLONE_PREFIX + "1a2b3c4d")));
        assertFalse(ZfsDriver.isRestoreClone(DatasetName.of("tank/vm1")));
        assertFalse(ZfsDriver.isRestoreClone(DatasetName.of("tank")));
    }
}
