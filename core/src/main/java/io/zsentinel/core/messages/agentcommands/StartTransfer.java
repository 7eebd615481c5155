package io.zsentinel.core.messages.agentcommands;

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
 * Never a forced receive: the target refuses a stream that would discard its data.
 */
public record StartTransfer(UUID commandId, ServerId server, long epoch, UUID transferId, SnapshotName from,
                            SnapshotName to, boolean intermediates, ServerId targetServer, DatasetName targetDataset,
                            String resumeToken, long bandwidthLimitBytesPerSecond) implements SnapshotCommand {
    public StartTransfer {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(transferId, "transferId");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(targetServer, "targetServer");
        Objects.requireNonNull(targetDataset, "targetDataset");
        if (from != null && !from.dataset().equals(to.dataset())) {
            throw new IllegalArgumentException("incremental source " + from + " and target " + to + " differ in dataset");
        }
        if (resumeToken != null && !resumeToken.matches("[0-9a-zA-Z-]{1,4096}")) {
            throw new IllegalArgumentException("resume token has characters a ZFS token never has");
        }
        if (bandwidthLimitBytesPerSecond < 0) {
            throw new IllegalArgumentException("bandwidth limit must be 0 (none) or positive");
        }
    }

    @Override
    public SnapshotName snapshot() {
        return to;
    }
}
