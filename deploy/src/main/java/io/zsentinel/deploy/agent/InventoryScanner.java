package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.zfs.DatasetEntry;
import io.zsentinel.core.zfs.SnapshotEntry;
import io.zsentinel.core.zfs.ZfsDriver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a pool's datasets and snapshots with two recursive zfs calls, whatever the number of
 * snapshots (three where the zfs has bookmarks): the cost of a scan stays O(pools), not O(snapshots).
 */
public final class InventoryScanner {
    private final ZfsDriver zfs;

    /**
     * One dataset as a scan saw it: snapshots oldest first, bookmarks (OpenZFS), and the bytes written since
     * the newest snapshot (null where the zfs cannot tell).
     */
    public record DatasetInventory(List<SnapshotInfo> snapshots, List<BookmarkInfo> bookmarks, Long writtenBytes) {
        public DatasetInventory {
            snapshots = List.copyOf(snapshots);
            bookmarks = List.copyOf(bookmarks);
        }

        /** The same with written bytes reduced to 0 or 1 (null stays): what a change is judged by. */
        public DatasetInventory withWrittenAsFlag() {
            return new DatasetInventory(snapshots, bookmarks, writtenBytes == null ? null : Math.min(writtenBytes, 1L));
        }
    }

    public InventoryScanner(ZfsDriver zfs) {
        this.zfs = zfs;
    }

    /** Every dataset of the pool (also those without snapshots), with its snapshots oldest first. */
    public Map<DatasetName, List<SnapshotInfo>> scan(PoolName pool) {
        Map<DatasetName, List<SnapshotInfo>> snapshots = new TreeMap<>();
        scanAll(pool).forEach((dataset, inventory) -> snapshots.put(dataset, inventory.snapshots()));
        return snapshots;
    }

    /**
     * Every dataset of the pool with its snapshots, bookmarks and written bytes.
     * A restore's temporary clone is not inventory: it lives for seconds and is the agent's own.
     */
    public Map<DatasetName, DatasetInventory> scanAll(PoolName pool) {
        DatasetName root = new DatasetName(pool.value());
        Map<DatasetName, Long> written = new LinkedHashMap<>();
        Map<DatasetName, List<SnapshotInfo>> snapshots = new TreeMap<>();
        Map<DatasetName, List<BookmarkInfo>> bookmarks = new TreeMap<>();
        for (DatasetEntry dataset : zfs.listDatasets(root)) {
            if (!ZfsDriver.isRestoreClone(dataset.name())) {
                snapshots.put(dataset.name(), new ArrayList<>());
                written.put(dataset.name(), dataset.written().isPresent() ? dataset.written().getAsLong() : null);
            }
        }
        for (SnapshotEntry s : zfs.listSnapshots(root)) {
            if (!ZfsDriver.isRestoreClone(s.name().dataset())) {
                snapshots.computeIfAbsent(s.name().dataset(), d -> new ArrayList<>()).add(toInfo(s));
            }
        }
        for (BookmarkInfo b : zfs.listBookmarks(root)) {
            bookmarks.computeIfAbsent(b.name().dataset(), d -> new ArrayList<>()).add(b);
        }
        Map<DatasetName, DatasetInventory> inventory = new TreeMap<>();
        snapshots.forEach((dataset, list) -> {
            list.sort((a, b) -> Long.compare(a.createtxg(), b.createtxg()));
            List<BookmarkInfo> marks = new ArrayList<>(bookmarks.getOrDefault(dataset, List.of()));
            marks.sort((a, b) -> Long.compare(a.createtxg(), b.createtxg()));
            inventory.put(dataset, new DatasetInventory(list, marks, written.get(dataset)));
        });
        return inventory;
    }

    static SnapshotInfo toInfo(SnapshotEntry s) {
        return new SnapshotInfo(s.name(), s.guid(), s.createtxg(), s.creation(), s.used(), s.referenced(),
                s.userRefs());
    }
}
