package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.projections.inventory.DatasetSummary;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.schedule.ReplicationInventory;

import java.util.List;
import java.util.Optional;

/** The schedules' inventory port over the projection's {@link SnapshotInventoryView}. */
public final class ViewInventory implements ReplicationInventory {
    private final SnapshotInventoryView view;

    public ViewInventory(SnapshotInventoryView view) {
        this.view = view;
    }

    @Override
    public List<DatasetId> datasets() {
        return view.datasetIds();
    }

    @Override
    public List<DatasetId> datasets(ServerId server) {
        return ids(view.datasets(Optional.of(server)));
    }

    /** The dataset's own entry in the view: no walk over the other datasets. */
    @Override
    public List<SnapshotInfo> snapshots(DatasetId dataset) {
        return view.snapshots(dataset);
    }

    @Override
    public long version(DatasetId dataset) {
        return view.version(dataset);
    }

    @Override
    public Optional<RetentionPolicy> assignedPolicy(DatasetId dataset) {
        return view.policy(dataset);
    }

    private static List<DatasetId> ids(List<DatasetSummary> datasets) {
        return datasets.stream().map(d -> new DatasetId(d.server(), d.dataset())).toList();
    }
}
