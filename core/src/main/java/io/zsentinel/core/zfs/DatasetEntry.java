package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A filesystem or volume; {@code mountpoint} is empty for volumes and for "none"/"legacy";
 * {@code written}: bytes written since its newest snapshot (OpenZFS' {@code written}), empty where this
 * zfs has no such property (zfs-fuse); {@code snapshotsChanged}: OpenZFS 2.2's {@code snapshots_changed}, which
 * moves whenever a snapshot of the dataset is created, destroyed or renamed (an opaque token here).
 */
public record DatasetEntry(DatasetName name, DatasetType type, long used, long available,
                           Optional<String> mountpoint, OptionalLong written, Optional<String> snapshotsChanged) {
    public DatasetEntry(DatasetName name, DatasetType type, long used, long available, Optional<String> mountpoint) {
        this(name, type, used, available, mountpoint, OptionalLong.empty(), Optional.empty());
    }

    public DatasetEntry(DatasetName name, DatasetType type, long used, long available, Optional<String> mountpoint,
                        OptionalLong written) {
        this(name, type, used, available, mountpoint, written, Optional.empty());
    }

    public DatasetEntry {
        Objects.requireNonNull(written, "written");
        Objects.requireNonNull(snapshotsChanged, "snapshotsChanged");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mountpoint, "mountpoint");
    }
}
