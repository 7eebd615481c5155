package io.zsentinel.replication.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** An agent reported how a command of this dataset ended. */
public record RecordCommandOutcome(@TargetAggregateIdentifier DatasetId id, UUID commandId, String commandType,
                                   boolean succeeded, String detail, Instant at) implements DatasetCommand {
    public RecordCommandOutcome {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? "" : detail;
    }
}
