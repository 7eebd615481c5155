package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.SnapshotName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
                "name,guid,createtxg,creation,used,referenced", "-r", "tank/vm1")), runner.commands);
        assertEquals(4, s.size());
        assertEquals("tank/vm1", s.get(0).name().dataset().value());
    }

    @Test
    void zfsFuseListsSnapshotsWithGetP() {
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, Captured.read("zfs-fuse/get-snapshot-props-recursive.txt")));
        List<SnapshotEntry> s = new ZfsDriver(runner, ZfsFeatures.ZFS_FUSE).listSnapshots(DatasetName.of("ztcapx"));
        assertEquals(List.of(List.of("zfs", "get", "-H", "-p", "-r", "-o", "name,property,value",
                "guid,createtxg,creation,used,referenced", "ztcapx")), runner.commands);
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
        ZfsFeatures none = new ZfsFeatures(false, false, false, false, false, false, false, false);
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
    void featureProbesOnOpenzfs() {
        ScriptedRunner runner = new ScriptedRunner(c -> c.get(0).equals("zpool") && c.get(1).equals("get")
                ? ok(c, "active\n")
                : c.contains("tank@" + ZfsFeatures.PROBE)
                ? fail(c, "cannot open 'tank@" + ZfsFeatures.PROBE + "': dataset does not exist\n")
                : ok(c, "-\n"));
        assertEquals(ZfsFeatures.OPENZFS_2_2, ZfsFeatures.detect(runner, PoolName.of("tank"), Duration.ofSeconds(5)));
        assertEquals(8, runner.commands.size());
    }
}
