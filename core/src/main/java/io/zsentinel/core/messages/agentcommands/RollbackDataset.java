package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.util.Objects;
import java.util.UUID;

/**
 * Roll a dataset back to {@code snapshot}. With {@code destroyNewer} the snapshots taken after it
 * are destroyed ({@code zfs rollback -r}); without it the agent refuses when newer ones exist. The
 * controller has already checked and recorded who asked and why.
 */
public record RollbackDataset(UUID commandId, ServerId server, long epoch, SnapshotName snapshot, boolean destroyNewer)
        implements SnapshotCommand {
    public RollbackDataset {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(snapshot, "snapshot");
    }
}
