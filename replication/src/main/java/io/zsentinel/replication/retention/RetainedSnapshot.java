package io.zsentinel.replication.retention;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One snapshot of a dataset as retention sees it. Age and order come from {@code createtxg}, which
 * only grows; class and slot come from a zsentinel name and are both empty for a foreign snapshot.
 */
public record RetainedSnapshot(SnapshotName name, Guid guid, long createtxg, Optional<SnapshotClass> klass,
                               Optional<Instant> slot) {
    public RetainedSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(klass, "klass");
        Objects.requireNonNull(slot, "slot");
        if (klass.isPresent() != slot.isPresent()) {
            throw new IllegalArgumentException("snapshot " + name + ": class and slot go together, was class "
                    + klass + " and slot " + slot);
        }
    }

    /** Reads class and slot from the name (see {@link SnapshotNaming}). */
    public static RetainedSnapshot of(SnapshotName name, Guid guid, long createtxg) {
        Optional<SnapshotSlot> parsed = SnapshotNaming.parse(name.shortName());
        return new RetainedSnapshot(name, guid, createtxg, parsed.map(SnapshotSlot::klass),
                parsed.map(SnapshotSlot::slot));
    }

    /** True if zsentinel took it (its name parses); foreign snapshots never expire by count. */
    public boolean isZsentinel() {
        return klass.isPresent() || name.shortName().startsWith(SnapshotNaming.CHECKPOINT_PREFIX);
    }
}
