package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.util.Objects;
import java.util.UUID;

/**
 * Destroys a snapshot only if it still has {@code guid}: a name can have been reused since the
 * controller decided, and identity is the guid.
 */
public record DestroySnapshot(UUID commandId, ServerId server, long epoch, SnapshotName snapshot, Guid guid)
        implements SnapshotCommand {
    public DestroySnapshot {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(guid, "guid");
    }
}
