package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.zfs.DatasetEntry;
import io.zsentinel.core.zfs.SnapshotEntry;
import io.zsentinel.core.zfs.ZfsDriver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a pool's datasets and snapshots with two recursive zfs calls, whatever the number of
 * snapshots: the cost of a scan stays O(pools), not O(snapshots).
 */
public final class InventoryScanner {
    private final ZfsDriver zfs;

    public InventoryScanner(ZfsDriver zfs) {
        this.zfs = zfs;
    }

    /**
     * Every dataset of the pool (also those without snapshots), with its snapshots oldest first.
     * A restore's temporary clone is not inventory: it lives for seconds and is the agent's own.
     */
    public Map<DatasetName, List<SnapshotInfo>> scan(PoolName pool) {
        DatasetName root = new DatasetName(pool.value());
        Map<DatasetName, List<SnapshotInfo>> inventory = new TreeMap<>();
        for (DatasetEntry dataset : zfs.listDatasets(root)) {
            if (!ZfsDriver.isRestoreClone(dataset.name())) {
                inventory.put(dataset.name(), new ArrayList<>());
            }
        }
        for (SnapshotEntry s : zfs.listSnapshots(root)) {
            if (ZfsDriver.isRestoreClone(s.name().dataset())) {
                continue;
            }
            inventory.computeIfAbsent(s.name().dataset(), d -> new ArrayList<>()).add(toInfo(s));
        }
        inventory.values().forEach(list -> list.sort((a, b) -> Long.compare(a.createtxg(), b.createtxg())));
        return inventory;
    }

    static SnapshotInfo toInfo(SnapshotEntry s) {
        return new SnapshotInfo(s.name(), s.guid(), s.createtxg(), s.creation(), s.used(), s.referenced(),
                s.userRefs());
    }
}
