package io.zsentinel.deploy.transfer;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.CommandRunner;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsFeatures;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cursor's rotation against OpenZFS' bookmark commands as documented (create, list -H -p, destroy),
 * played by a small in-memory stand-in: there is no OpenZFS host here, and zfs-fuse has no bookmarks
 * (where the cursor is a no-op, asserted below and by every replication test on zfs-fuse).
 */
class CursorBookmarksIT {
    static final String STANDBY = "primary:tank/vm1->standby:backup/vm1";
    static final String OFFSITE = "primary:tank/vm1->offsite:dr/vm1";
    static final SnapshotName S1 = SnapshotName.parse("tank/vm1@auto-1"), S2 = SnapshotName.parse("tank/vm1@auto-2");

    /** OpenZFS' bookmark commands on one pool: name → guid. */
    static final class Bookmarks implements CommandRunner {
        final Map<String, Long> marks = new TreeMap<>();
        final List<List<String>> commands = new ArrayList<>();

        @Override
        public CommandResult run(List<String> c, Duration timeout) {
            commands.add(c);
            String out = "";
            if (c.get(1).equals("bookmark")) {
                if (marks.putIfAbsent(c.get(3), (long) c.get(2).hashCode() & 0xffff) != null) {
                    return new CommandResult(c, 1, "", "cannot create bookmark '" + c.get(3) + "': bookmark exists\n",
                            false, Duration.ZERO);
                }
            } else if (c.get(1).equals("destroy")) {
                marks.remove(c.get(2));
            } else if (c.get(1).equals("list")) {
                StringBuilder b = new StringBuilder();
                marks.forEach((name, guid) -> b.append(name).append('\t').append(guid).append("\t100\t1764064800\n"));
                out = b.toString();
            }
            return new CommandResult(c, 0, out, "", false, Duration.ZERO);
        }

        @Override
        public long invocations() {
            return commands.size();
        }
    }

    @Test
    void eachLinkKeepsOneCursorAndNeverTouchesAnothersOrAnOperatorsBookmark() {
        Bookmarks zfs = new Bookmarks();
        zfs.marks.put("tank/vm1#before-upgrade", 5L);
        CursorBookmarks cursors = new CursorBookmarks(new ZfsDriver(zfs, ZfsFeatures.OPENZFS_2_2));
        cursors.advance(STANDBY, S1, new Guid(11));
        cursors.advance(OFFSITE, S1, new Guid(11));
        cursors.advance(STANDBY, S2, new Guid(22));
        cursors.advance(STANDBY, S2, new Guid(22)); // a repeated success: nothing to create, nothing to destroy
        assertEquals(List.of("tank/vm1#before-upgrade",
                CursorBookmarks.cursor(OFFSITE, S1, new Guid(11)).full(),
                CursorBookmarks.cursor(STANDBY, S2, new Guid(22)).full()).stream().sorted().toList(),
                List.copyOf(zfs.marks.keySet()));
        assertTrue(zfs.commands.stream().noneMatch(c -> c.get(1).equals("destroy") && !c.get(2).contains("zsentinel-cursor-")));
        assertEquals(1, zfs.commands.stream().filter(c -> c.get(1).equals("destroy")).count());
    }

    @Test
    void aLinkThatLeftTheConfigurationLosesItsCursorOnly() {
        Bookmarks zfs = new Bookmarks();
        CursorBookmarks cursors = new CursorBookmarks(new ZfsDriver(zfs, ZfsFeatures.OPENZFS_2_2));
        cursors.advance(STANDBY, S1, new Guid(11));
        cursors.advance(OFFSITE, S1, new Guid(11));
        assertEquals(1, cursors.forget(STANDBY, S1.dataset()));
        assertEquals(List.of(CursorBookmarks.cursor(OFFSITE, S1, new Guid(11)).full()), List.copyOf(zfs.marks.keySet()));
        assertEquals(0, cursors.forget(STANDBY, S1.dataset()), "forgetting twice finds nothing");
        assertEquals(0, new CursorBookmarks(new ZfsDriver(zfs, ZfsFeatures.ZFS_FUSE)).forget(OFFSITE, S1.dataset()));
    }

    @Test
    void cursorNamesAreShortAndOnePerLink() {
        String name = CursorBookmarks.cursor(STANDBY, S1, new Guid(-1L)).shortName();
        assertTrue(name.matches("zsentinel-cursor-[0-9a-f]{12}-18446744073709551615"), name);
        assertTrue(!CursorBookmarks.prefix(STANDBY).equals(CursorBookmarks.prefix(OFFSITE)));
    }

    @Test
    void withoutBookmarksTheCursorIsNotTried() {
        Bookmarks zfs = new Bookmarks();
        new CursorBookmarks(new ZfsDriver(zfs, ZfsFeatures.ZFS_FUSE)).advance(STANDBY, S1, new Guid(11));
        assertEquals(List.of(), zfs.commands);
    }
}
