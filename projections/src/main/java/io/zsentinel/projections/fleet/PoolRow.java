package io.zsentinel.projections.fleet;

import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;

import java.time.Instant;

/** A pool's last reported condition; {@code since} is when it entered its current health. */
public record PoolRow(PoolName pool, PoolHealth health, int capacityPercent, long sizeBytes, long readErrors,
                      long writeErrors, long checksumErrors, Instant since) {
}
