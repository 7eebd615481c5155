package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.util.Objects;
import java.util.UUID;

/** Release the hold {@code tag} from a snapshot ({@code zfs release}); releasing an absent hold succeeds. */
public record ReleaseHold(UUID commandId, ServerId server, long epoch, SnapshotName snapshot, Guid guid, String tag)
        implements SnapshotCommand {
    public ReleaseHold {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(guid, "guid");
        HoldTags.check(tag);
    }
}
