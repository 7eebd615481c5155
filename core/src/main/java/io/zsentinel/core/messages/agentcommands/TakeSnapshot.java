package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.util.Objects;
import java.util.UUID;

public record TakeSnapshot(UUID commandId, ServerId server, long epoch, SnapshotName snapshot)
        implements SnapshotCommand {
    public TakeSnapshot {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(snapshot, "snapshot");
    }
}
