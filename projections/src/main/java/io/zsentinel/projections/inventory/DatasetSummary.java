package io.zsentinel.projections.inventory;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;

/**
 * One dataset on one server. {@code newestSnapshot}/{@code newestCreated} are null without snapshots,
 * {@code registeredAt} is null if a snapshot event arrived before the registration (never in order).
 */
public record DatasetSummary(ServerId server, DatasetName dataset, int snapshotCount, String newestSnapshot,
                             Instant newestCreated, Instant registeredAt) {
}
