package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;

/**
 * One snapshot as {@code zfs} reports it. Order and age come from createtxg, not from names or clocks.
 * {@code userRefs} counts the holds on it (any tag: an operator's hold protects it as much as ours).
 */
public record SnapshotInfo(SnapshotName name, Guid guid, long createtxg, Instant created, long usedBytes,
                           long referencedBytes, long userRefs) {
    public SnapshotInfo(SnapshotName name, Guid guid, long createtxg, Instant created, long usedBytes,
                        long referencedBytes) {
        this(name, guid, createtxg, created, usedBytes, referencedBytes, 0);
    }

    public SnapshotInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(created, "created");
        if (userRefs < 0) {
            throw new IllegalArgumentException("userRefs " + userRefs + " is negative");
        }
    }
}
