package io.zsentinel.replication.api;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Objects;
import java.util.UUID;

/** An agent reports one new snapshot ({@code commandId} when zsentinel ordered it). */
public record RecordSnapshotTaken(@TargetAggregateIdentifier DatasetId id, SnapshotInfo snapshot, UUID commandId,
                                  UUID sourceMessageId) implements DatasetCommand {
    public RecordSnapshotTaken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(snapshot, "snapshot");
    }
}
