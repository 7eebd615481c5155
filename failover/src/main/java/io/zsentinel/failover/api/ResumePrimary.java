package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code server}'s agent reports that {@code dataset} stands down: made read-only on its own at {@code generation} when
 * its lease ran out (Kafka unreachable for the lease). When {@code server} is still the service's primary at that
 * generation and no failover or switchover runs, nothing replaced it: it is made the writable primary again, at a new
 * generation. Anything else (a failover promoted a standby meanwhile, one runs now) changes nothing.
 */
public record ResumePrimary(@TargetAggregateIdentifier ServiceName service, ServerId server, DatasetName dataset,
                            long generation, Instant at) implements ServiceCommand {
    public ResumePrimary {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(at, "at");
    }
}
