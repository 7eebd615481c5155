package io.zsentinel.core.zfs;

import io.zsentinel.core.values.PoolHealth;

/**
 * One row of the config tree of {@code zpool status}. {@code depth} 0 is the pool (or a top line of
 * its section), 1 a top-level vdev, 2 a disk inside a mirror/raidz. {@code section} is "data" for
 * the pool's own tree, else "logs", "cache", "spares", "special", "dedup". {@code rawState} keeps
 * states that are not pool health (a spare's "AVAIL", "INUSE").
 */
public record VdevEntry(String name, String section, int depth, PoolHealth state, String rawState,
                        long readErrors, long writeErrors, long checksumErrors, String note) {

    public long totalErrors() {
        return readErrors + writeErrors + checksumErrors;
    }
}
