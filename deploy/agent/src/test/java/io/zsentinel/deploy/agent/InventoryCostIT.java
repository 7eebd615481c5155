package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.zfs.ProcessCommandRunner;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cost of a planning cycle stays flat: the agent's inventory of a pool with 100 datasets and
 * 300 snapshots is two zfs calls (one recursive listing of datasets, one of snapshots), not one
 * per dataset or per snapshot; the controller's planning itself runs no zfs at all.
 */
class InventoryCostIT {
    @TempDir
    Path dir;

    @Test
    void aPoolWith100DatasetsIsInventoriedInTwoZfsCalls() throws Exception {
        try (ZfsTestPools pools = ZfsTestPools.open(dir, "ztc")) {
            PoolName pool = pools.createPool("p", 128L * 1024 * 1024);
            ZfsDriver setup = ZfsDriver.detect(pools.runner(), pool);
            for (int i = 0; i < 100; i++) {
                setup.createDataset(new DatasetName(pool.value() + "/vm" + i));
            }
            for (String snap : List.of("a", "b", "c")) {
                run("zfs", "snapshot", "-r", pool.value() + "@" + snap);
            }
            ProcessCommandRunner counted = new ProcessCommandRunner();
            InventoryScanner scanner = new InventoryScanner(ZfsDriver.detect(counted, pool));
            long before = counted.invocations();

            Map<DatasetName, List<SnapshotInfo>> inventory = snapshots(scanner.scanAll(pool));

            assertEquals(2, counted.invocations() - before, "zfs calls for one inventory of the pool");
            assertEquals(101, inventory.size(), "the pool root and its 100 datasets");
            assertEquals(303, inventory.values().stream().mapToInt(List::size).sum(), "3 snapshots of each");
        }
    }

    private static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
    }

    static Map<DatasetName, List<SnapshotInfo>> snapshots(Map<DatasetName, InventoryScanner.DatasetInventory> scan) {
        Map<DatasetName, List<SnapshotInfo>> snapshots = new java.util.TreeMap<>();
        scan.forEach((dataset, inventory) -> snapshots.put(dataset, inventory.snapshots()));
        return snapshots;
    }
}
