package io.zsentinel.core.zfs;

import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;

/**
 * One line of {@code zpool list}. Sizes are bytes: exact where {@code zpool list -p} exists,
 * otherwise read back from zpool's rounded human form ("1.07M"), so good to about 1%.
 */
public record PoolEntry(PoolName name, PoolHealth health, long size, long allocated, long free,
                        int capacityPercent) {
}
