package io.zsentinel.replication.api;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** An agent reports that it destroyed a snapshot. */
public record RecordSnapshotGone(@TargetAggregateIdentifier DatasetId id, SnapshotName name, Guid guid,
                                 UUID commandId, Instant at, UUID sourceMessageId) implements DatasetCommand {
    public RecordSnapshotGone {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(at, "at");
    }
}
