package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.ServerId;

import java.util.Objects;
import java.util.UUID;

/** The agent took a snapshot; {@code commandId} is null when the snapshot was not zsentinel's doing. */
public record SnapshotCreated(ServerId server, SnapshotInfo snapshot, UUID commandId) implements AgentFact {
    public SnapshotCreated {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(snapshot, "snapshot");
    }
}
