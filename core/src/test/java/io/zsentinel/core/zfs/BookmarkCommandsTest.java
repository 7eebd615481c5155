package io.zsentinel.core.zfs;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.InvalidNameException;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.ZfsDriverCommandsTest.ScriptedRunner;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import static io.zsentinel.core.zfs.ZfsDriverCommandsTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bookmarks and {@code written}, OpenZFS only: argument lists and parsing against listings in OpenZFS'
 * documented {@code -H -p} format (no OpenZFS host here; zfs-fuse has neither, which is checked for real
 * by the feature detection in {@link ZfsDriverIT}).
 */
class BookmarkCommandsTest {
    static final SnapshotName SNAP = SnapshotName.parse("tank/vm1@auto-1");
    static final BookmarkName MARK = BookmarkName.parse("tank/vm1#zsentinel-cursor-1a2b3c4d5e6f-42");

    @Test
    void bookmarkNamesValidateLikeSnapshotNames() {
        assertEquals(new BookmarkName(DatasetName.of("tank/vm1"), "zsentinel-cursor-1a2b3c4d5e6f-42"), MARK);
        assertEquals("tank/vm1#zsentinel-cursor-1a2b3c4d5e6f-42", MARK.full());
        assertThrows(InvalidNameException.class, () -> BookmarkName.parse("tank/vm1#x;rm -rf /"));
        assertThrows(InvalidNameException.class, () -> BookmarkName.parse("tank/vm1@snap"));
        assertThrows(InvalidNameException.class, () -> BookmarkName.parse("tank/vm1#a#b"));
        assertThrows(InvalidNameException.class, () -> BookmarkName.parse("tank/vm1#"));
    }

    @Test
    void openzfsBookmarkListing() {
        List<BookmarkInfo> b = BookmarkListParser.parseList(Captured.read("openzfs/list-bookmarks-p.txt"));
        assertEquals(3, b.size());
        assertEquals(new BookmarkInfo(BookmarkName.parse("tank/vm1#zsentinel-cursor-1a2b3c4d5e6f-8190318243234857732"),
                Guid.parse("8190318243234857732"), 1021, Instant.ofEpochSecond(1764064800)), b.get(0));
        assertEquals(DatasetName.of("tank/vm1/disk0"), b.get(2).name().dataset());
        assertThrows(ZfsOutputFormatException.class, () -> BookmarkListParser.parseList("tank/vm1#a\t1\t2\n"));
        assertThrows(ZfsOutputFormatException.class, () -> BookmarkListParser.parseList("tank/vm1@a\t1\t2\t3\n"));
    }

    @Test
    void listingCreatingAndDestroyingBookmarksOnOpenzfs() {
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, c.get(1).equals("list")
                ? Captured.read("openzfs/list-bookmarks-p.txt") : ""));
        ZfsDriver zfs = new ZfsDriver(runner, ZfsFeatures.OPENZFS_2_2);
        assertEquals(3, zfs.listBookmarks(DatasetName.of("tank/vm1")).size());
        zfs.createBookmark(SNAP, MARK);
        zfs.destroyBookmark(MARK);
        assertEquals(List.of(
                List.of("zfs", "list", "-H", "-p", "-t", "bookmark", "-o", "name,guid,createtxg,creation", "-r", "tank/vm1"),
                List.of("zfs", "bookmark", "tank/vm1@auto-1", "tank/vm1#zsentinel-cursor-1a2b3c4d5e6f-42"),
                List.of("zfs", "destroy", "tank/vm1#zsentinel-cursor-1a2b3c4d5e6f-42")), runner.commands);
    }

    @Test
    void withoutBookmarksNothingIsListedAndNothingIsRun() {
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, ""));
        ZfsDriver zfs = new ZfsDriver(runner, ZfsFeatures.ZFS_FUSE);
        assertEquals(List.of(), zfs.listBookmarks(DatasetName.of("tank/vm1")));
        ZfsException e = assertThrows(ZfsException.class, () -> zfs.createBookmark(SNAP, MARK));
        assertEquals(ZfsErrorKind.UNSUPPORTED, e.kind());
        assertEquals(List.of(), runner.commands);
        assertThrows(IllegalArgumentException.class, () -> new ZfsDriver(runner, ZfsFeatures.OPENZFS_2_2)
                .createBookmark(SnapshotName.parse("tank/other@a"), MARK), "a bookmark belongs to its snapshot's dataset");
    }

    @Test
    void aStreamFromABookmarkIsPlainIncremental() {
        assertEquals(List.of("zfs", "send", "-i", "tank/vm1#zsentinel-cursor-1a2b3c4d5e6f-42", "tank/vm1@auto-1"),
                SendSpec.fromBookmark(MARK, SNAP).argv());
        assertTrue(SendSpec.fromBookmark(MARK, SNAP).incremental());
        assertThrows(IllegalArgumentException.class, () -> SendSpec.fromBookmark(MARK, SnapshotName.parse("tank/x@a")));
        assertThrows(IllegalArgumentException.class, () -> new SendSpec(SNAP, null, true, false, null, MARK),
                "-I cannot start at a bookmark");
    }

    @Test
    void writtenAndSnapshotsChangedAreReadWithTheDatasetListingWhereTheZfsHasThem() {
        ScriptedRunner runner = new ScriptedRunner(c -> ok(c, Captured.read("openzfs/list-datasets-written-changed-p.txt")));
        List<DatasetEntry> d = new ZfsDriver(runner, ZfsFeatures.OPENZFS_2_2).listDatasets(DatasetName.of("tank/vm1"));
        assertEquals(List.of("zfs", "list", "-H", "-p", "-t", "filesystem,volume", "-o",
                "name,type,used,available,mountpoint,written,snapshots_changed", "-r", "tank/vm1"), runner.commands.get(0));
        assertEquals(OptionalLong.of(0), d.get(0).written());
        assertEquals(OptionalLong.of(1572864), d.get(1).written());
        assertEquals(java.util.Optional.of("1764064800"), d.get(0).snapshotsChanged());
        assertEquals(java.util.Optional.empty(), d.get(1).snapshotsChanged(), "never changed: -");

        ZfsFeatures openzfs21 = new ZfsFeatures(true, true, true, true, true, true, false, true, true, true, true);
        ScriptedRunner older = new ScriptedRunner(c -> ok(c, Captured.read("openzfs/list-datasets-written-p.txt")));
        assertEquals(OptionalLong.of(1572864), new ZfsDriver(older, openzfs21).listDatasets(DatasetName.of("tank/vm1"))
                .get(1).written(), "OpenZFS 2.1: written, no snapshots_changed");
        assertEquals(OptionalLong.empty(), DatasetListParser.parseList(Captured.read("openzfs/list-datasets-p.txt"), false, false)
                .get(0).written(), "five columns: a zfs without written");
    }
}
