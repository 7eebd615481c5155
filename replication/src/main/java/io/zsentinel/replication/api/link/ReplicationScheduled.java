package io.zsentinel.replication.api.link;

import io.zsentinel.core.messages.agentcommands.TransferPolicy;

import java.time.Instant;
import java.util.UUID;

/**
 * Send {@code to} to the target: full when {@code from} is null, else incremental from the common
 * base {@code from} ({@code -I} when {@code intermediates}). {@code resumeToken} (nullable): resume
 * with {@code send -t}. {@code rollbackTarget} is true only after an operator's ResolveDivergence:
 * discard target data newer than {@code from} first ({@code rollback -r}, or {@code receive -F} for a
 * full send); when {@code to} equals {@code from} the rollback is all there is to do. Never otherwise.
 * {@code fromBookmark}: {@code from} is the source's bookmark of the base ({@code dataset#name}, OpenZFS),
 * the base snapshot itself being gone from the source. {@code policy}: the link's stall timeout and breaker
 * for the agent (null in events stored before it was added: the defaults).
 */
public record ReplicationScheduled(LinkId linkId, UUID transferId, SnapshotRef from, SnapshotRef to,
                                   boolean intermediates, String resumeToken, boolean rollbackTarget, int attempt,
                                   Instant at, boolean fromBookmark, TransferPolicy policy) implements LinkEvent {
    public ReplicationScheduled(LinkId linkId, UUID transferId, SnapshotRef from, SnapshotRef to, boolean intermediates,
                                String resumeToken, boolean rollbackTarget, int attempt, Instant at,
                                boolean fromBookmark) {
        this(linkId, transferId, from, to, intermediates, resumeToken, rollbackTarget, attempt, at, fromBookmark, null);
    }

    public ReplicationScheduled(LinkId linkId, UUID transferId, SnapshotRef from, SnapshotRef to, boolean intermediates,
                                String resumeToken, boolean rollbackTarget, int attempt, Instant at) {
        this(linkId, transferId, from, to, intermediates, resumeToken, rollbackTarget, attempt, at, false);
    }
}
