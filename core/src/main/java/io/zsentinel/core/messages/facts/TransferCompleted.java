package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The target received {@code snapshot} (its guid as the target reports it) in {@code bytes}. */
public record TransferCompleted(ServerId server, UUID transferId, SnapshotName snapshot, Guid snapshotGuid, long bytes,
                                Instant at, String link) implements AgentFact {
    public TransferCompleted(ServerId server, UUID transferId, SnapshotName snapshot, Guid snapshotGuid, long bytes,
                             Instant at) {
        this(server, transferId, snapshot, snapshotGuid, bytes, at, "");
    }

    public TransferCompleted {
        link = link == null ? "" : link;
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(transferId, "transferId");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(snapshotGuid, "snapshotGuid");
        Objects.requireNonNull(at, "at");
    }
}
