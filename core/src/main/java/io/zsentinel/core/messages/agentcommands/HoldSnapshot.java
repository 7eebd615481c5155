package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.util.Objects;
import java.util.UUID;

/** Put the hold {@code tag} on a snapshot ({@code zfs hold}) if it still has {@code guid}. */
public record HoldSnapshot(UUID commandId, ServerId server, long epoch, SnapshotName snapshot, Guid guid, String tag)
        implements SnapshotCommand {
    public HoldSnapshot {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(guid, "guid");
        HoldTags.check(tag);
    }
}
