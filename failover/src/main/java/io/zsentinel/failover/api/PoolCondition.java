package io.zsentinel.failover.api;

import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;

import java.time.Instant;

/** What matters of a pool for failover and retention decisions. */
public record PoolCondition(PoolName pool, PoolHealth health, int capacityPercent, long sizeBytes,
                            long readErrors, long writeErrors, long checksumErrors, Instant at) {

    /** True when an operator (or a rule) would care about the difference; timestamps alone do not count. */
    public boolean differsFrom(PoolCondition other) {
        return other == null || health != other.health || capacityPercent != other.capacityPercent
                || sizeBytes != other.sizeBytes || readErrors != other.readErrors
                || writeErrors != other.writeErrors || checksumErrors != other.checksumErrors;
    }
}
