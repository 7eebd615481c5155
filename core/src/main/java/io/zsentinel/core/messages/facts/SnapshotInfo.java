package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;

/** One snapshot as {@code zfs} reports it. Order and age come from createtxg, not from names or clocks. */
public record SnapshotInfo(SnapshotName name, Guid guid, long createtxg, Instant created, long usedBytes,
                           long referencedBytes) {
    public SnapshotInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(created, "created");
    }
}
