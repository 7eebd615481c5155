package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An agent's answer to a {@code RejoinDataset} or {@code ReleaseRescue} command about {@code dataset}: carried out
 * ({@code succeeded}) or refused, in {@code detail}. An answer to no command the rejoin waits for changes nothing.
 */
public record RecordRejoinOutcome(@TargetAggregateIdentifier String rejoinId, ServerId server, DatasetName dataset,
                                  UUID commandId, boolean succeeded, String detail, Instant at) {
    public RecordRejoinOutcome {
        Objects.requireNonNull(rejoinId, "rejoinId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? "" : detail;
    }
}
