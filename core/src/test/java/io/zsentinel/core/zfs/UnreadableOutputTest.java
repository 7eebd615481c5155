package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.ZfsDriverCommandsTest.ScriptedRunner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.zsentinel.core.zfs.ZfsDriverCommandsTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Output of a zfs command that could not be read is an error naming the command, what it was about and the line,
 * never an empty or partial listing (the controller would read a missing snapshot as destroyed).
 */
class UnreadableOutputTest {
    private static final String FUSE_SNAPSHOTS = Captured.read("zfs-fuse/get-snapshot-props-recursive.txt");
    private static final String FUSE_DATASETS = Captured.read("zfs-fuse/get-dataset-props-recursive.txt");

    private static ZfsDriver fuse(String stdout) {
        return new ZfsDriver(new ScriptedRunner(c -> ok(c, stdout)), ZfsFeatures.ZFS_FUSE);
    }

    private static ZfsDriver openzfs(String stdout) {
        return new ZfsDriver(new ScriptedRunner(c -> ok(c, stdout)), ZfsFeatures.OPENZFS_2_2);
    }

    @Test
    void realOutputsStillRead() {
        assertEquals(5, fuse(FUSE_SNAPSHOTS).listSnapshots(DatasetName.of("ztcapx")).size());
        assertEquals(3, fuse(FUSE_DATASETS).listDatasets(DatasetName.of("ztcapx")).size());
        assertEquals(2, openzfs(Captured.read("openzfs/list-snapshots-p.txt").lines().filter(l -> l.startsWith("tank/vm1@"))
                .map(l -> l + "\n").reduce("", String::concat)).listSnapshots(DatasetName.of("tank/vm1")).size());
        assertTrue(openzfs("").listSnapshots(DatasetName.of("tank")).isEmpty(), "zfs list -t snapshot of no snapshots");
        assertEquals(PoolName.of("ztcapx"), fuse(Captured.read("zfs-fuse/zpool-status-online-single.txt"))
                .poolStatus(PoolName.of("ztcapx")).pool());
    }

    @Test
    void aLineWithAnUnreadableFieldNamesTheCommandTheDatasetAndTheLine() {
        String broken = FUSE_SNAPSHOTS.replace("ztcapx/a@s1\tcreatetxg\t15", "ztcapx/a@s1\tcreatetxg\tfifteen");
        ZfsOutputFormatException e = assertThrows(ZfsOutputFormatException.class,
                () -> fuse(broken).listSnapshots(DatasetName.of("ztcapx")));
        assertEquals(List.of("zfs", "get", "-H", "-p", "-r", "-o", "name,property,value",
                "guid,createtxg,creation,used,referenced,userrefs", "ztcapx"), e.command());
        assertEquals("ztcapx", e.subject().orElseThrow());
        assertTrue(e.getMessage().contains("'zfs' 'get' '-H'"), e.getMessage());
        assertTrue(e.getMessage().contains("about 'ztcapx'"), e.getMessage());
        assertTrue(e.getMessage().contains("fifteen"), e.getMessage());
    }

    @Test
    void emptyOutputOfARecursiveGetIsNoListing() {
        // zfs-fuse's recursive get always prints the root's own rows: without them it is not a listing
        for (String stdout : List.of("", "\n")) {
            ZfsOutputFormatException e = assertThrows(ZfsOutputFormatException.class,
                    () -> fuse(stdout).listSnapshots(DatasetName.of("ztcapx")));
            assertTrue(e.getMessage().contains("no properties of ztcapx itself"), e.getMessage());
            assertThrows(ZfsOutputFormatException.class, () -> fuse(stdout).listDatasets(DatasetName.of("ztcapx")));
            assertThrows(ZfsOutputFormatException.class, () -> openzfs(stdout).listDatasets(DatasetName.of("tank")));
        }
    }

    @Test
    void aListingWithoutItsRootOrWithOtherDatasetsIsUnreadable() {
        String withoutRoot = FUSE_DATASETS.lines().filter(l -> !l.startsWith("ztcapx\t"))
                .map(l -> l + "\n").reduce("", String::concat);
        assertThrows(ZfsOutputFormatException.class, () -> fuse(withoutRoot).listDatasets(DatasetName.of("ztcapx")));
        ZfsOutputFormatException other = assertThrows(ZfsOutputFormatException.class,
                () -> fuse(FUSE_SNAPSHOTS).listSnapshots(DatasetName.of("ztcapx/a")));
        assertTrue(other.getMessage().contains("no properties of ztcapx/a itself")
                || other.getMessage().contains("not at or below ztcapx/a"), other.getMessage());
        assertThrows(ZfsOutputFormatException.class, () -> openzfs(
                Captured.read("openzfs/list-snapshots-p.txt")).listSnapshots(DatasetName.of("tank/other")));
    }

    @Test
    void aCutLineIsEscapedAndBoundedInTheMessage() {
        String cut = "tank@a\t9437263485901328172\t14\u001b[2K" + "x".repeat(5000) + "\n";
        ZfsOutputFormatException e = assertThrows(ZfsOutputFormatException.class,
                () -> openzfs(cut).listSnapshots(DatasetName.of("tank")));
        assertTrue(e.getMessage().contains("tank@a\\t9437263485901328172\\t14\\u001b[2K"), e.getMessage());
        assertFalse(e.getMessage().contains("\t") || e.getMessage().contains("\u001b"), e.getMessage());
        assertTrue(e.getMessage().length() < 1000, "bounded: " + e.getMessage().length());
        assertTrue(e.getMessage().contains("more characters"), e.getMessage());
        assertEquals(cut.strip(), e.line());
    }

    @Test
    void readingOneSnapshotBackMustNameIt() {
        ZfsOutputFormatException e = assertThrows(ZfsOutputFormatException.class,
                () -> fuse("").readSnapshot(SnapshotName.parse("ztcapx/a@s1")));
        assertEquals("ztcapx/a@s1", e.subject().orElseThrow());
        assertThrows(ZfsOutputFormatException.class, () -> fuse(Captured.read("zfs-fuse/get-one-snapshot.txt"))
                .readSnapshot(SnapshotName.parse("ztcapx/a@s1")));
    }

    @Test
    void poolStatusWithoutStateOrVdevsOrOfAnotherPoolIsUnreadable() {
        String status = Captured.read("zfs-fuse/zpool-status-online-single.txt");
        PoolName pool = PoolName.of("ztcapx");
        assertThrows(ZfsOutputFormatException.class, () -> fuse(status.replace(" state: ONLINE\n", "")).poolStatus(pool));
        String noRows = status.lines().filter(l -> !l.startsWith("\t")).map(l -> l + "\n").reduce("", String::concat);
        assertThrows(ZfsOutputFormatException.class, () -> fuse(noRows).poolStatus(pool));
        assertThrows(ZfsOutputFormatException.class, () -> fuse(status.replace("\tztcapx  ", "ztcapx   "))
                .poolStatus(pool));
        ZfsOutputFormatException other = assertThrows(ZfsOutputFormatException.class,
                () -> fuse(status).poolStatus(PoolName.of("tank")));
        assertEquals(List.of("zpool", "status", "tank"), other.command());
        assertThrows(ZfsOutputFormatException.class,
                () -> fuse(status.replace("none requested", "repaired lots in 0h1m with 0 errors")).poolStatus(pool));
    }

    @Test
    void unreadableSingleValues() {
        assertThrows(ZfsOutputFormatException.class, () -> fuse("mounted-somewhere\n").mountpoint(DatasetName.of("tank")));
        assertEquals(java.util.Optional.empty(), fuse("legacy\n").mountpoint(DatasetName.of("tank")));
        ZfsOutputFormatException guid = assertThrows(ZfsOutputFormatException.class,
                () -> fuse("\n").snapshotGuid(SnapshotName.parse("tank@a")));
        assertEquals("tank@a", guid.subject().orElseThrow());
    }
}
