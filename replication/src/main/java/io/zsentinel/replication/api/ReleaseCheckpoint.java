package io.zsentinel.replication.api;

import io.zsentinel.core.values.SnapshotName;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/** The checkpoint may now be pruned like any other zsentinel snapshot. */
public record ReleaseCheckpoint(@TargetAggregateIdentifier DatasetId id, SnapshotName snapshot, Operator operator,
                                String reason, Instant at) implements OperatorCommand {
    public ReleaseCheckpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(at, "at");
        reason = OperatorCommand.requireReason(reason);
    }
}
