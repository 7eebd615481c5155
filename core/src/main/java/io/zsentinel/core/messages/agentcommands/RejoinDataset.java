package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.RescueNames;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.util.Objects;
import java.util.UUID;

/**
 * Bring a former primary's copy of {@code dataset} back to {@code common} (guid {@code commonGuid}), the newest
 * snapshot it shares with the service's new primary, so that it can receive incrementally from there, as a read-only
 * replica of {@code service} at {@code generation}. With {@code rescue}, what lies after {@code common} is kept, not
 * destroyed: a snapshot of the dataset as it is, then the dataset (with all its snapshots) renamed to {@code rescue},
 * a clone of its {@code common} put in its place and promoted. Without {@code rescue} (the controller knows nothing
 * was written after {@code common}) it is a plain rollback, refused when snapshots newer than {@code common} exist.
 */
public record RejoinDataset(UUID commandId, ServerId server, long epoch, DatasetName dataset, String service,
                            long generation, SnapshotName common, Guid commonGuid, DatasetName rescue)
        implements ServiceCommand {
    public RejoinDataset {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(commonGuid, "commonGuid");
        ServiceChecks.checkService(service);
        ServiceChecks.checkGeneration(generation);
        if (!common.dataset().equals(dataset)) {
            throw new IllegalArgumentException("the common snapshot " + common + " is not of " + dataset);
        }
        if (rescue != null && (!RescueNames.isRescue(rescue) || !rescue.pool().equals(dataset.pool()))) {
            throw new IllegalArgumentException("a rescue of " + dataset + " lies below " + dataset.pool() + "/"
                    + RescueNames.PARENT + ", not at " + rescue);
        }
    }
}
