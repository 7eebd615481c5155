package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The transfer ended without the snapshot on the target. {@code resumeToken}: where the target's ZFS
 * keeps partial state ({@code receive -s}), the token to resume from; null otherwise. {@code retriable}
 * is false when retrying the same plan cannot help (the target diverged, a dataset is missing).
 */
public record TransferFailed(ServerId server, UUID transferId, SnapshotName snapshot, String reason, String resumeToken,
                             boolean retriable, long bytes, Instant at, String link) implements AgentFact {
    public TransferFailed(ServerId server, UUID transferId, SnapshotName snapshot, String reason, String resumeToken,
                          boolean retriable, long bytes, Instant at) {
        this(server, transferId, snapshot, reason, resumeToken, retriable, bytes, at, "");
    }

    public TransferFailed {
        link = link == null ? "" : link;
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(transferId, "transferId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
