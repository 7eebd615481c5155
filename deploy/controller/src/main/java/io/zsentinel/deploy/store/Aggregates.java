package io.zsentinel.deploy.store;

import org.axonframework.config.AggregateConfigurer;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;

/**
 * How the controller keeps its event-sourced aggregates: a {@link BoundedCache} per aggregate type,
 * and for aggregates with long histories (a dataset with thousands of snapshots) an Axon snapshot
 * every {@code snapshotEvery} events, stored in {@code snapshot_event_entry}: loading one reads the
 * newest snapshot and the events after it, not the whole history. Snapshots are written by Axon's
 * default {@code AggregateSnapshotter} after the command's transaction commits; one that cannot be
 * read (another shape, see {@code @Revision} on the aggregate, or a broken payload) is skipped and
 * the aggregate is replayed from its events ({@link AxonStore}).
 */
public final class Aggregates {
    /** Aggregates of one type kept loaded: all datasets of a 10k-dataset cell. */
    public static final int DEFAULT_CACHE_SIZE = 20_000;
    /** Events between two snapshots of one aggregate. */
    public static final int DEFAULT_SNAPSHOT_EVERY = 250;

    private Aggregates() {
    }

    public static <A> AggregateConfigurer<A> cached(Class<A> type, int cacheSize) {
        BoundedCache cache = new BoundedCache(cacheSize);
        return AggregateConfigurer.defaultConfiguration(type).configureCache(c -> cache);
    }

    public static <A> AggregateConfigurer<A> cachedAndSnapshotted(Class<A> type, int cacheSize, int snapshotEvery) {
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("snapshotEvery must be at least 1 event, was " + snapshotEvery);
        }
        return cached(type, cacheSize)
                .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(), snapshotEvery));
    }
}
