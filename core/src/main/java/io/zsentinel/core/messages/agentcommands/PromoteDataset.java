package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.util.Objects;
import java.util.UUID;

/**
 * Make this server's copy of {@code dataset} the writable primary of {@code service} at {@code generation} (the
 * service's fencing token, raised by every failover): roll it back to {@code rollbackTo} (its newest complete
 * snapshot; null: as it is), record the generation on the dataset ({@code zsentinel:generation}, see {@code DatasetRole}) and make it
 * writable. Refused when the dataset already carries a newer generation; a repeat at the same generation changes
 * nothing (in particular it does not roll back the writes made since).
 */
public record PromoteDataset(UUID commandId, ServerId server, long epoch, DatasetName dataset, String service,
                             long generation, SnapshotName rollbackTo) implements ServiceCommand {
    public PromoteDataset {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        ServiceChecks.checkService(service);
        ServiceChecks.checkGeneration(generation);
        if (rollbackTo != null && !rollbackTo.dataset().equals(dataset)) {
            throw new IllegalArgumentException("rollbackTo " + rollbackTo + " is not a snapshot of " + dataset);
        }
    }
}
