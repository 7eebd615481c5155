package io.zsentinel.replication.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/** A pre-maintenance snapshot, kept (never pruned) until an operator releases it. */
public record TakeCheckpoint(@TargetAggregateIdentifier DatasetId id, Operator operator, String reason, Instant at)
        implements OperatorCommand {
    public TakeCheckpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(at, "at");
        reason = OperatorCommand.requireReason(reason);
    }
}
