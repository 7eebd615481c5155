package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/** One pool's state as {@code zpool list}/{@code zpool status} show it. */
public record PoolHealthReported(ServerId server, PoolName pool, PoolHealth health, int capacityPercent,
                                 long sizeBytes, long allocatedBytes, long readErrors, long writeErrors,
                                 long checksumErrors, String status, Instant at) implements AgentFact {
    public PoolHealthReported {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(at, "at");
        if (capacityPercent < 0 || capacityPercent > 100) {
            throw new IllegalArgumentException("capacityPercent " + capacityPercent + " outside 0..100");
        }
        status = status == null ? "" : status;
    }
}
