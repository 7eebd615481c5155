package io.zsentinel.replication.schedule;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.retention.RetentionPolicy;

import java.util.List;
import java.util.Optional;

/**
 * The port through which the schedules read the datasets and snapshots the store knows (the controller's
 * inventory view, a moment behind the store).
 */
public interface ReplicationInventory {
    /** Every known dataset, in the view's order. */
    List<DatasetId> datasets();

    /** The known datasets on {@code server}, in the view's order. */
    List<DatasetId> datasets(ServerId server);

    /** The dataset's snapshots, oldest (lowest createtxg) first; empty when it has none or is unknown. */
    List<SnapshotInfo> snapshots(DatasetId dataset);

    /**
     * A number that changes with every change the store recorded for the dataset (snapshots, holds,
     * protections, orders and their outcomes, policy), so that an unchanged dataset is not looked at again;
     * -1 when unknown.
     */
    long version(DatasetId dataset);

    /** The policy the store shows assigned to the dataset; empty when none (or not known yet). */
    Optional<RetentionPolicy> assignedPolicy(DatasetId dataset);
}
