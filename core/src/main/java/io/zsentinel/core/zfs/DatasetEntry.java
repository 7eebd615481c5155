package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;

import java.util.Objects;
import java.util.Optional;

/** A filesystem or volume; {@code mountpoint} is empty for volumes and for "none"/"legacy". */
public record DatasetEntry(DatasetName name, DatasetType type, long used, long available,
                           Optional<String> mountpoint) {
    public DatasetEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mountpoint, "mountpoint");
    }
}
