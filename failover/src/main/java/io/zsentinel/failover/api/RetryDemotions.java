package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code server} can act on a demotion again ({@code why}: its pool is back, say): every demotion of {@code service}
 * it has not carried out yet is ordered again, with its first command id. A demotion it refused while its pool was
 * gone would otherwise stay undone, and the copy come back writable beside the new primary. A service with nothing
 * pending for that server ignores it.
 */
public record RetryDemotions(@TargetAggregateIdentifier ServiceName service, ServerId server, String why, Instant at)
        implements ServiceCommand {
    public RetryDemotions {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(why, "why");
        Objects.requireNonNull(at, "at");
    }
}
