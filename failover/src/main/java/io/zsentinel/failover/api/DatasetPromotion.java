package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.SnapshotName;

import java.util.Objects;

/**
 * One dataset of a failover: {@code dataset}, the chosen standby's copy (its name there, such as standby/vm1), promoted
 * after a rollback to {@code rollbackTo}, its newest snapshot shared with the failed primary (null: as it is, when the
 * standby holds nothing newer); {@code primaryDataset}, the failed primary's dataset it is the copy of (what the
 * former primary demotes, and what its replication links name).
 */
public record DatasetPromotion(DatasetName dataset, SnapshotName rollbackTo, DatasetName primaryDataset) {
    public DatasetPromotion {
        Objects.requireNonNull(dataset, "dataset");
        if (rollbackTo != null && !rollbackTo.dataset().equals(dataset)) {
            throw new IllegalArgumentException("rollbackTo " + rollbackTo + " is not a snapshot of " + dataset);
        }
        primaryDataset = primaryDataset == null ? dataset : primaryDataset;
    }

    /** A copy of the same name as the primary's dataset. */
    public DatasetPromotion(DatasetName dataset, SnapshotName rollbackTo) {
        this(dataset, rollbackTo, dataset);
    }
}
