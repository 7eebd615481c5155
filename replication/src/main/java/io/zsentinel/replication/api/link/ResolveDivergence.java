package io.zsentinel.replication.api.link;

import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.OperatorCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code replication resolve <link> --rollback-target}: the only way target data is ever discarded.
 * The next transfer rolls the target back to the common base (or, with none, overwrites it with a full
 * receive -F). {@code rollbackTarget} must be true: it is the operator's explicit consent.
 */
public record ResolveDivergence(@TargetAggregateIdentifier LinkId linkId, boolean rollbackTarget, Operator operator,
                                String reason, Instant at) implements LinkOperatorCommand {
    public ResolveDivergence {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(at, "at");
        reason = OperatorCommand.requireReason(reason);
        if (!rollbackTarget) {
            throw new IllegalArgumentException("resolving a divergence discards the target's own snapshots and writes;"
                    + " say so with --rollback-target (the only resolution there is)");
        }
    }
}
