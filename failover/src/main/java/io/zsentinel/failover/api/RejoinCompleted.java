package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Every dataset of {@code server} is back at its common snapshot with {@code newPrimary}: replication from the new
 * primary's copies to them may start, incrementally from there. {@code datasets}: each rejoined dataset with its copy.
 */
public record RejoinCompleted(ServiceName service, ServerId server, ServerId newPrimary, long generation,
                              List<Rejoined> datasets, Instant at) implements RejoinEvent {
    /** {@code dataset} on the rejoined server receives from {@code copy} on the new primary. */
    public record Rejoined(DatasetName dataset, DatasetName copy) {
        public Rejoined {
            Objects.requireNonNull(dataset, "dataset");
            Objects.requireNonNull(copy, "copy");
        }
    }

    public RejoinCompleted {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(newPrimary, "newPrimary");
        Objects.requireNonNull(at, "at");
        datasets = List.copyOf(datasets);
    }
}
