package io.zsentinel.projections.link;

import io.zsentinel.replication.api.link.SnapshotRef;

import java.time.Duration;
import java.time.Instant;

/**
 * How far behind a link's target is, in the words of a failover: the data written since the common
 * base would be lost now. Zero when the source has nothing newer than the base; when the source's
 * inventory is unknown, assumed behind (now − base), since a lag that errs low would hide a stuck link.
 */
final class LinkLag {
    private LinkLag() {
    }

    /** Null with no base: nothing is replicated, the lag is unbounded. */
    static Long seconds(SnapshotRef base, Instant newestSource, Instant now) {
        if (base == null) {
            return null;
        }
        if (newestSource != null && !newestSource.isAfter(base.created())) {
            return 0L;
        }
        return Math.max(0, Duration.between(base.created(), now).toSeconds());
    }
}
