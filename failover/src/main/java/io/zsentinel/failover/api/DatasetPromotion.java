package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.SnapshotName;

import java.util.Objects;

/**
 * One dataset of a failover: promoted on the chosen standby after a rollback to {@code rollbackTo}, its newest
 * snapshot shared with the failed primary (null: as it is, when the standby holds nothing newer).
 */
public record DatasetPromotion(DatasetName dataset, SnapshotName rollbackTo) {
    public DatasetPromotion {
        Objects.requireNonNull(dataset, "dataset");
        if (rollbackTo != null && !rollbackTo.dataset().equals(dataset)) {
            throw new IllegalArgumentException("rollbackTo " + rollbackTo + " is not a snapshot of " + dataset);
        }
    }
}
