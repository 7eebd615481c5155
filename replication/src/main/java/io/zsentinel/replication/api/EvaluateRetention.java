package io.zsentinel.replication.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/** The controller's clock ticked: take what is due, prune what the count rules expire. */
public record EvaluateRetention(@TargetAggregateIdentifier DatasetId id, Instant now) implements DatasetCommand {
    public EvaluateRetention {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(now, "now");
    }
}
