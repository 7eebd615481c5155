package io.zsentinel.replication.link;

import io.zsentinel.replication.api.link.SnapshotRef;

import java.time.Duration;

/**
 * How far a link's target is behind. {@code time}: the newest source snapshot's creation minus the
 * common base's (zero when in sync). {@code sinceBase}: now minus the base's creation, the data a
 * failover right now would lose. {@code bytes}: a lower bound, the {@code used} bytes of the source
 * snapshots newer than the base (-1 when unknown). With no base, nothing is replicated: durations null.
 */
public record ReplicationLag(SnapshotRef base, Duration time, Duration sinceBase, long bytes) {
    public boolean hasBase() {
        return base != null;
    }
}
