package io.zsentinel.replication.api.link;

import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.OperatorCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/** Undo a pause: the link plans again at its next tick. */
public record ResumeLink(@TargetAggregateIdentifier LinkId linkId, Operator operator, String reason, Instant at)
        implements LinkOperatorCommand {
    public ResumeLink {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(at, "at");
        reason = OperatorCommand.requireReason(reason);
    }
}
