package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An agent's answer to a {@code PromoteDataset} or {@code DemoteDataset} command ({@code commandType}) about
 * {@code dataset} of {@code service}: carried out ({@code succeeded}) or refused, in {@code detail}. An answer to no
 * command the service waits for (late, repeated) changes nothing.
 */
public record RecordServiceCommandOutcome(@TargetAggregateIdentifier ServiceName service, ServerId server,
                                          DatasetName dataset, UUID commandId, String commandType, boolean succeeded,
                                          String detail, Instant at) implements ServiceCommand {
    public RecordServiceCommandOutcome {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(commandType, "commandType");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
