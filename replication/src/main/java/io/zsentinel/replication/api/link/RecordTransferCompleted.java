package io.zsentinel.replication.api.link;

import io.zsentinel.core.values.Guid;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The agent reports the target received the snapshot with {@code snapshotGuid}. */
public record RecordTransferCompleted(@TargetAggregateIdentifier LinkId linkId, UUID transferId, Guid snapshotGuid,
                                      Instant at) implements LinkCommand {
    public RecordTransferCompleted {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(transferId, "transferId");
        Objects.requireNonNull(snapshotGuid, "snapshotGuid");
        Objects.requireNonNull(at, "at");
    }
}
