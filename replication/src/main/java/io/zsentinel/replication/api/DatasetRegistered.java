package io.zsentinel.replication.api;

import java.time.Instant;

/** zsentinel saw this dataset for the first time. */
public record DatasetRegistered(DatasetId id, Instant at) implements DatasetEvent {
}
