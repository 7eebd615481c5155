package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The complete list of a dataset's snapshots at {@code at} (sent on start and whenever it changed), with
 * its bookmarks (OpenZFS; none elsewhere) and {@code writtenBytes}: bytes written since its newest snapshot,
 * null where this zfs cannot tell (zfs-fuse has no {@code written}).
 */
public record SnapshotInventoryReported(ServerId server, DatasetName dataset, List<SnapshotInfo> snapshots,
                                        Instant at, List<BookmarkInfo> bookmarks, Long writtenBytes)
        implements AgentFact {
    public SnapshotInventoryReported(ServerId server, DatasetName dataset, List<SnapshotInfo> snapshots, Instant at) {
        this(server, dataset, snapshots, at, List.of(), null);
    }

    public SnapshotInventoryReported {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(at, "at");
        snapshots = List.copyOf(snapshots == null ? List.of() : snapshots);
        bookmarks = List.copyOf(bookmarks == null ? List.of() : bookmarks);
        for (SnapshotInfo s : snapshots) {
            if (!s.name().dataset().equals(dataset)) {
                throw new IllegalArgumentException("snapshot " + s.name() + " does not belong to " + dataset);
            }
        }
        for (BookmarkInfo b : bookmarks) {
            if (!b.name().dataset().equals(dataset)) {
                throw new IllegalArgumentException("bookmark " + b.name() + " does not belong to " + dataset);
            }
        }
        if (writtenBytes != null && writtenBytes < 0) {
            throw new IllegalArgumentException("written bytes " + writtenBytes + " is negative");
        }
    }
}
