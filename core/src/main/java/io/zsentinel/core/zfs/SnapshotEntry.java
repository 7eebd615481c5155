package io.zsentinel.core.zfs;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;

/**
 * One snapshot as zfs reports it; {@code creation} has whole-second precision, sizes are bytes,
 * {@code userRefs} is the number of holds on it (0 where this zfs has no holds).
 */
public record SnapshotEntry(SnapshotName name, Guid guid, long createtxg, Instant creation, long used,
                            long referenced, long userRefs) {
    public SnapshotEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(creation, "creation");
        if (userRefs < 0) {
            throw new IllegalArgumentException("userrefs " + userRefs + " is negative");
        }
    }

    /** As the agent reports it. */
    public SnapshotInfo info() {
        return new SnapshotInfo(name, guid, createtxg, creation, used, referenced, userRefs);
    }

    /** True while someone holds it: zfs then refuses to destroy it. */
    public boolean held() {
        return userRefs > 0;
    }
}
