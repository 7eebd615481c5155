package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;

/**
 * The newest snapshot of one of the service's datasets (on the failed primary) that a standby also holds, by guid:
 * what the standby would serve after promotion. {@code created} is when it was taken on the primary; everything
 * written after it is lost by a failover to that standby.
 */
public record CommonSnapshot(DatasetName dataset, SnapshotName snapshot, Guid guid, Instant created) {
    public CommonSnapshot {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(created, "created");
        if (!snapshot.dataset().equals(dataset)) {
            throw new IllegalArgumentException("snapshot " + snapshot + " is not of dataset " + dataset);
        }
    }
}
