package io.zsentinel.replication.api.link;

import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.OperatorCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/** Start no new transfer on the link until it is resumed (a transfer in flight finishes). */
public record PauseLink(@TargetAggregateIdentifier LinkId linkId, Operator operator, String reason, Instant at)
        implements LinkOperatorCommand {
    public PauseLink {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(at, "at");
        reason = OperatorCommand.requireReason(reason);
    }
}
