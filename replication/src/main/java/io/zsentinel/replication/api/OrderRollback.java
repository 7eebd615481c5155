package io.zsentinel.replication.api;

import io.zsentinel.core.values.SnapshotName;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/** Roll the dataset back to {@code snapshot}; refused when newer snapshots exist unless {@code destroyNewer}. */
public record OrderRollback(@TargetAggregateIdentifier DatasetId id, SnapshotName snapshot, boolean destroyNewer,
                            Operator operator, String reason, Instant at) implements OperatorCommand {
    public OrderRollback {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(at, "at");
        reason = OperatorCommand.requireReason(reason);
        if (!snapshot.dataset().equals(id.dataset())) {
            throw new IllegalArgumentException("snapshot " + snapshot + " is not a snapshot of " + id.dataset());
        }
    }
}
