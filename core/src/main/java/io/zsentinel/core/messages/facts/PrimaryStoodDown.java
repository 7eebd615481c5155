package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code dataset} on {@code server} stands down: its agent made it read-only on its own when its lease ran out (no
 * heartbeat acknowledged for the lease), at {@code generation}, as the primary of {@code service} (null when the
 * promotion that made it primary recorded none). Reported once the agent reaches Kafka again and then every minute
 * while it stands down, so that the controller can resume it when no failover replaced it meanwhile.
 */
public record PrimaryStoodDown(ServerId server, DatasetName dataset, String service, long generation, Instant at)
        implements AgentFact {
    public PrimaryStoodDown {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(at, "at");
    }
}
