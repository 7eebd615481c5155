package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.zfs.DatasetEntry;
import io.zsentinel.core.zfs.SnapshotEntry;
import io.zsentinel.core.zfs.ZfsDriver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a pool's datasets and snapshots with two recursive zfs calls, whatever the number of
 * snapshots (three where the zfs has bookmarks): the cost of a scan stays O(pools), not O(snapshots).
 * Where the zfs has {@code snapshots_changed} (OpenZFS 2.2), a scan whose dataset listing shows no
 * dataset's snapshots changed reuses the previous snapshot and bookmark listings: one call per pool. A
 * forced scan (after the agent's own command) and one every {@link #FULL_EVERY} list everything, for what
 * the token does not track (holds, space used).
 */
public final class InventoryScanner {
    static final Duration FULL_EVERY = Duration.ofMinutes(1);

    private record Listed(Map<DatasetName, String> tokens, Map<DatasetName, DatasetInventory> inventory, Instant at) {
    }

    private final ZfsDriver zfs;
    private final Clock clock;
    private final Map<PoolName, Listed> lastFull = new ConcurrentHashMap<>();

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
        this(zfs, Clock.systemUTC());
    }

    public InventoryScanner(ZfsDriver zfs, Clock clock) {
        this.zfs = zfs;
        this.clock = clock;
    }

    /** {@link #scanAll(PoolName, boolean)} without forcing a full listing. */
    public Map<DatasetName, DatasetInventory> scanAll(PoolName pool) {
        return scanAll(pool, false);
    }

    /**
     * Every dataset of the pool with its snapshots, bookmarks and written bytes; {@code full}: list the
     * snapshots even when no {@code snapshots_changed} moved. A restore's temporary clone is not inventory:
     * it lives for seconds and is the agent's own.
     */
    public Map<DatasetName, DatasetInventory> scanAll(PoolName pool, boolean full) {
        Instant started = clock.instant();
        DatasetName root = new DatasetName(pool.value());
        Map<DatasetName, Long> written = new LinkedHashMap<>();
        Map<DatasetName, String> tokens = new TreeMap<>();
        for (DatasetEntry dataset : zfs.listDatasets(root)) {
            if (!ZfsDriver.isRestoreClone(dataset.name())) {
                written.put(dataset.name(), dataset.written().isPresent() ? dataset.written().getAsLong() : null);
                tokens.put(dataset.name(), dataset.snapshotsChanged().orElse("-"));
            }
        }
        Listed last = lastFull.get(pool);
        if (!full && zfs.features().snapshotsChanged() && last != null && last.tokens().equals(tokens)
                && started.isBefore(last.at().plus(FULL_EVERY)) && allBefore(tokens.values(), last.at())) {
            Map<DatasetName, DatasetInventory> reused = new TreeMap<>();
            last.inventory().forEach((dataset, inv) -> reused.put(dataset,
                    new DatasetInventory(inv.snapshots(), inv.bookmarks(), written.get(dataset))));
            return reused;
        }
        Map<DatasetName, DatasetInventory> inventory = list(root, written);
        lastFull.put(pool, new Listed(tokens, inventory, started));
        return inventory;
    }

    /**
     * Whether every token names a second before the one in which the last full listing started: OpenZFS 2.2
     * counts {@code snapshots_changed} in seconds, so a snapshot made later in the same second as the one the
     * listing saw would leave the token as it was. An unreadable token is never trusted.
     */
    static boolean allBefore(Iterable<String> tokens, Instant listedAt) {
        for (String token : tokens) {
            if (token.equals("-")) {
                continue; // no snapshot ever: the next one changes it
            }
            try {
                long value = Long.parseLong(token);
                long seconds = value > 100_000_000_000L ? value / 1_000_000_000L : value; // nanoseconds on newer zfs
                if (seconds >= listedAt.getEpochSecond()) {
                    return false;
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private Map<DatasetName, DatasetInventory> list(DatasetName root, Map<DatasetName, Long> written) {
        Map<DatasetName, List<SnapshotInfo>> snapshots = new TreeMap<>();
        Map<DatasetName, List<BookmarkInfo>> bookmarks = new TreeMap<>();
        written.keySet().forEach(dataset -> snapshots.put(dataset, new ArrayList<>()));
        for (SnapshotEntry s : zfs.listSnapshots(root)) {
            if (!ZfsDriver.isRestoreClone(s.name().dataset())) {
                snapshots.computeIfAbsent(s.name().dataset(), d -> new ArrayList<>()).add(s.info());
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
}
