package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.util.Objects;
import java.util.UUID;

/**
 * For the source server's agent: send {@code to} (incrementally from {@code from}, with intermediates
 * when {@code intermediates}; a full stream when {@code from} is null) to {@code targetDataset} on
 * {@code targetServer}, resuming from {@code resumeToken} where the target's ZFS gave one.
 * {@code transferId} identifies the attempt: the agent runs one transfer per id at most once.
 * Never a forced receive, except with {@code rollbackTarget}, which only an operator's resolution of a
 * diverged link sets. {@code link} is the controller's name for the replication link, echoed in the
 * transfer facts so it knows which link they are about. {@code fromBookmark}: {@code from} names a bookmark
 * ({@code dataset#shortName}, OpenZFS), not a snapshot: the stream is {@code -i} from it. {@code policy}: the
 * link's stall timeout and circuit breaker, which the agent applies ({@link TransferPolicy#DEFAULTS} when absent,
 * as in an order from a controller that did not send it). {@code generation}: the fencing token of the service whose
 * new primary sends, for a link a failover made (0: none, every link no failover touched, and every order of a
 * controller that did not send it). The agent refuses the order when the target (or the source) carries a newer
 * {@code zsentinel:generation}, and records it on the target after the receive, so an order from before a failover
 * (a former primary's, queued while it was away) cannot land on a target the new primary already sends to.
 */
public record StartTransfer(UUID commandId, ServerId server, long epoch, UUID transferId, SnapshotName from,
                            SnapshotName to, boolean intermediates, ServerId targetServer, DatasetName targetDataset,
                            String resumeToken, long bandwidthLimitBytesPerSecond, boolean rollbackTarget,
                            String link, boolean fromBookmark, TransferPolicy policy, long generation)
        implements SnapshotCommand {
    public StartTransfer(UUID commandId, ServerId server, long epoch, UUID transferId, SnapshotName from,
                         SnapshotName to, boolean intermediates, ServerId targetServer, DatasetName targetDataset,
                         String resumeToken, long bandwidthLimitBytesPerSecond, boolean rollbackTarget, String link,
                         boolean fromBookmark, TransferPolicy policy) {
        this(commandId, server, epoch, transferId, from, to, intermediates, targetServer, targetDataset, resumeToken,
                bandwidthLimitBytesPerSecond, rollbackTarget, link, fromBookmark, policy, 0);
    }

    public StartTransfer(UUID commandId, ServerId server, long epoch, UUID transferId, SnapshotName from,
                         SnapshotName to, boolean intermediates, ServerId targetServer, DatasetName targetDataset,
                         String resumeToken, long bandwidthLimitBytesPerSecond, boolean rollbackTarget, String link,
                         boolean fromBookmark) {
        this(commandId, server, epoch, transferId, from, to, intermediates, targetServer, targetDataset, resumeToken,
                bandwidthLimitBytesPerSecond, rollbackTarget, link, fromBookmark, null);
    }

    public StartTransfer(UUID commandId, ServerId server, long epoch, UUID transferId, SnapshotName from,
                         SnapshotName to, boolean intermediates, ServerId targetServer, DatasetName targetDataset,
                         String resumeToken, long bandwidthLimitBytesPerSecond, boolean rollbackTarget, String link) {
        this(commandId, server, epoch, transferId, from, to, intermediates, targetServer, targetDataset, resumeToken,
                bandwidthLimitBytesPerSecond, rollbackTarget, link, false);
    }

    public StartTransfer(UUID commandId, ServerId server, long epoch, UUID transferId, SnapshotName from,
                         SnapshotName to, boolean intermediates, ServerId targetServer, DatasetName targetDataset,
                         String resumeToken, long bandwidthLimitBytesPerSecond) {
        this(commandId, server, epoch, transferId, from, to, intermediates, targetServer, targetDataset, resumeToken,
                bandwidthLimitBytesPerSecond, false, "");
    }

    public StartTransfer {
        link = link == null ? "" : link;
        policy = policy == null ? TransferPolicy.DEFAULTS : policy;
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(transferId, "transferId");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(targetServer, "targetServer");
        Objects.requireNonNull(targetDataset, "targetDataset");
        if (from != null && !from.dataset().equals(to.dataset())) {
            throw new IllegalArgumentException("incremental source " + from + " and target " + to + " differ in dataset");
        }
        if (fromBookmark && (from == null || intermediates)) {
            throw new IllegalArgumentException("a stream from a bookmark needs the bookmark and cannot carry intermediates");
        }
        if (resumeToken != null && !resumeToken.matches("[0-9a-zA-Z-]{1,4096}")) {
            throw new IllegalArgumentException("resume token has characters a ZFS token never has");
        }
        if (bandwidthLimitBytesPerSecond < 0) {
            throw new IllegalArgumentException("bandwidth limit must be 0 (none) or positive");
        }
        if (generation < 0) {
            throw new IllegalArgumentException("a generation is 0 (none) or positive, not " + generation);
        }
    }

    /** The same order at {@code generation}. */
    public StartTransfer atGeneration(long generation) {
        return new StartTransfer(commandId, server, epoch, transferId, from, to, intermediates, targetServer,
                targetDataset, resumeToken, bandwidthLimitBytesPerSecond, rollbackTarget, link, fromBookmark, policy,
                generation);
    }

    /** The bookmark the stream starts at, when {@link #fromBookmark}. */
    public BookmarkName bookmark() {
        return fromBookmark ? new BookmarkName(from.dataset(), from.shortName()) : null;
    }

    @Override
    public SnapshotName snapshot() {
        return to;
    }
}
