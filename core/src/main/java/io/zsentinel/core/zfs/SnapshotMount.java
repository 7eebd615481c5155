package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.SnapshotName;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot's files, readable under {@link #root()} until {@link #close()}: either the snapshot's
 * own {@code .zfs/snapshot/<name>} directory (nothing to undo) or a temporary read-only clone,
 * destroyed on close. Obtain one from {@link ZfsDriver#mountSnapshot}.
 */
public final class SnapshotMount implements AutoCloseable {
    private final SnapshotName snapshot;
    private final Path root;
    private final Optional<DatasetName> clone;
    private final Runnable cleanup;
    private boolean closed;

    private SnapshotMount(SnapshotName snapshot, Path root, Optional<DatasetName> clone, Runnable cleanup) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.root = Objects.requireNonNull(root, "root");
        this.clone = clone;
        this.cleanup = cleanup;
    }

    static SnapshotMount inPlace(SnapshotName snapshot, Path snapshotDirectory) {
        return new SnapshotMount(snapshot, snapshotDirectory, Optional.empty(), () -> { });
    }

    static SnapshotMount temporaryClone(SnapshotName snapshot, Path mountpoint, DatasetName clone, Runnable destroy) {
        return new SnapshotMount(snapshot, mountpoint, Optional.of(clone), destroy);
    }

    public SnapshotName snapshot() {
        return snapshot;
    }

    /** The directory that holds the snapshot's root (its dataset's top level). */
    public Path root() {
        return root;
    }

    /** The temporary clone behind {@link #root()}, empty when the snapshot is read in place. */
    public Optional<DatasetName> clone() {
        return clone;
    }

    /** Destroys the temporary clone, if any; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cleanup.run();
        }
    }
}
