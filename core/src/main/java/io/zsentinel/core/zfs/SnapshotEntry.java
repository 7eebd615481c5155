package io.zsentinel.core.zfs;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;

/** One snapshot as zfs reports it; {@code creation} has whole-second precision, sizes are bytes. */
public record SnapshotEntry(SnapshotName name, Guid guid, long createtxg, Instant creation, long used,
                            long referenced) {
    public SnapshotEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(creation, "creation");
    }
}
