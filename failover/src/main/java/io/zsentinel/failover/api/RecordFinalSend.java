package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/**
 * How a switchover's final send of {@code dataset} (named as on the old primary) ended: the standby holds the final
 * snapshot's guid ({@code succeeded}), or the send failed, in {@code detail}.
 */
public record RecordFinalSend(@TargetAggregateIdentifier ServiceName service, FailoverId failover, DatasetName dataset,
                              boolean succeeded, String detail, Instant at) implements ServiceCommand {
    public RecordFinalSend {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
