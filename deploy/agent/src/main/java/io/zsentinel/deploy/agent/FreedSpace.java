package io.zsentinel.deploy.agent;

import io.zsentinel.core.retry.Polling;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.zfs.PoolEntry;
import io.zsentinel.core.zfs.ZfsDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * ZFS frees a destroyed snapshot's blocks in later transaction groups (zfs-fuse: up to ~30 s, seen
 * here), so the pool's usage right after {@code zfs destroy} is stale. The controller prunes for
 * capacity one snapshot at a time and decides on the next usage report, so the agent waits until
 * the space the snapshot held ({@code used}: its unique bytes) is visibly back, within a bound.
 */
final class FreedSpace {
    private static final Logger log = LoggerFactory.getLogger(FreedSpace.class);
    /** Below this, the change is within zpool's rounding ("66.1M") and waiting proves nothing. */
    static final long NOTICEABLE_BYTES = 1L << 20;
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 500;

    private final ZfsDriver zfs;

    FreedSpace(ZfsDriver zfs) {
        this.zfs = zfs;
    }

    Optional<Long> allocated(PoolName pool) {
        return zfs.listPools().stream().filter(p -> p.name().equals(pool)).map(PoolEntry::allocated).findFirst();
    }

    /** Waits until the pool's allocation fell by most of {@code expectedFree} bytes, or MAX_WAIT passed. */
    void await(PoolName pool, long allocatedBefore, long expectedFree) {
        if (expectedFree < NOTICEABLE_BYTES) {
            return;
        }
        long target = allocatedBefore - expectedFree * 9 / 10;
        if (Polling.until("freed-space", Duration.ofMillis(POLL_MILLIS), MAX_WAIT, () -> {
            Optional<Long> now = allocated(pool);
            return now.isEmpty() || now.get() <= target;
        }) || Thread.currentThread().isInterrupted()) {
            return;
        }
        log.warn("pool {}: {} bytes of a destroyed snapshot not visibly freed after {} s; reporting usage anyway",
                pool, expectedFree, MAX_WAIT.toSeconds());
    }
}
