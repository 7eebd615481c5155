package io.zsentinel.replication.api.link;

import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.OperatorCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/** Transfer at the next tick, without waiting for the interval or a retry's backoff. */
public record SyncNow(@TargetAggregateIdentifier LinkId linkId, Operator operator, String reason, Instant at)
        implements LinkOperatorCommand {
    public SyncNow {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(at, "at");
        reason = OperatorCommand.requireReason(reason);
    }
}
