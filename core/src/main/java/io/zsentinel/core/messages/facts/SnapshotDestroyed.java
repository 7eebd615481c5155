package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.util.Objects;
import java.util.UUID;

/** The agent destroyed a snapshot on a controller command. */
public record SnapshotDestroyed(ServerId server, SnapshotName snapshot, Guid guid, UUID commandId)
        implements AgentFact {
    public SnapshotDestroyed {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(guid, "guid");
    }
}
