package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.util.Objects;
import java.util.UUID;

/**
 * Copy one file or directory ({@code path}, relative to the dataset's root) out of {@code snapshot}
 * into {@code targetDirectory} on the agent's host (empty: the agent's configured restore directory),
 * without touching the live dataset. The agent refuses paths that leave the snapshot.
 */
public record RestoreFromSnapshot(UUID commandId, ServerId server, long epoch, SnapshotName snapshot, String path,
                                  String targetDirectory) implements SnapshotCommand {
    public RestoreFromSnapshot {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(path, "path");
        targetDirectory = targetDirectory == null ? "" : targetDirectory;
    }
}
