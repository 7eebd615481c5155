package io.zsentinel.core.zfs;

import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;

import java.util.List;
import java.util.Optional;

/**
 * {@code zpool status POOL}, parsed. {@code errors} is the text after "errors:"; {@code errorFiles}
 * lists the files OpenZFS names after "Permanent errors have been detected".
 */
public record PoolStatus(PoolName pool, PoolHealth state, Optional<String> status, Optional<String> action,
                         ScanStatus scan, List<VdevEntry> vdevs, String errors, List<String> errorFiles) {

    public PoolStatus {
        vdevs = List.copyOf(vdevs);
        errorFiles = List.copyOf(errorFiles);
    }

    public boolean noKnownDataErrors() {
        return errors.startsWith("No known data errors");
    }

    /** The config row with this exact name (a device path, "mirror-0", the pool). */
    public Optional<VdevEntry> vdev(String name) {
        return vdevs.stream().filter(v -> v.name().equals(name)).findFirst();
    }
}
