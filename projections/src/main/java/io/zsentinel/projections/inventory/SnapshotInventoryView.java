package io.zsentinel.projections.inventory;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetEvent;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.RetentionPolicyChanged;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotRemoved;
import io.zsentinel.replication.api.SnapshotRenamed;
import io.zsentinel.replication.retention.RetentionPolicy;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Snapshots per dataset and server, rebuilt in memory from the event store on every start.
 * Every handler sets state keyed by guid, so a replayed event changes nothing. One lock guards all
 * datasets: a pooled processor may apply events of different datasets on several threads, while
 * HTTP threads read.
 */
@ProcessingGroup(SnapshotInventoryView.PROCESSING_GROUP)
public class SnapshotInventoryView {
    public static final String PROCESSING_GROUP = "snapshot-inventory";
    private static final Comparator<DatasetId> BY_NAME_THEN_SERVER =
            Comparator.comparing(DatasetId::dataset).thenComparing(DatasetId::server);

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<DatasetId, DatasetInventory> datasets = new TreeMap<>(BY_NAME_THEN_SERVER);
    private final AtomicLong eventsApplied = new AtomicLong();
    /** Never reset: a dataset's version after a rebuild differs from every one handed out before. */
    private final AtomicLong versions = new AtomicLong();
    private final AtomicReference<Instant> lastEventAt = new AtomicReference<>();

    /** {@code storedAt} is the event message's timestamp (the controller's clock, not the agent's). */
    @EventHandler
    public void on(DatasetRegistered e, @Timestamp Instant storedAt) {
        update(e.id(), storedAt, d -> d.registered(e.at()));
    }

    @EventHandler
    public void on(SnapshotRecorded e, @Timestamp Instant storedAt) {
        update(e.id(), storedAt, d -> d.recorded(e.snapshot(), e.commandId()));
    }

    @EventHandler
    public void on(SnapshotRenamed e, @Timestamp Instant storedAt) {
        update(e.id(), storedAt, d -> d.renamed(e.guid(), e.to()));
    }

    @EventHandler
    public void on(SnapshotRemoved e, @Timestamp Instant storedAt) {
        update(e.id(), storedAt, d -> d.removed(e.guid()));
    }

    /** The policy the dataset runs under (null: none), for what replication links hold back of it. */
    @EventHandler
    public void on(RetentionPolicyChanged e, @Timestamp Instant storedAt) {
        update(e.id(), storedAt, d -> d.policy(e.policy()));
    }

    /**
     * Any other event of a known dataset (orders, outcomes, holds, protections, checkpoints): shows nothing
     * here, but it changes what the Dataset aggregate decides, so it moves the dataset's {@link #version}.
     */
    @EventHandler
    public void on(DatasetEvent e, @Timestamp Instant storedAt) {
        lock.writeLock().lock();
        try {
            DatasetInventory d = datasets.get(e.id());
            if (d != null) {
                d.changed(versions.incrementAndGet());
            }
            noteApplied(storedAt);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @ResetHandler
    public void reset() {
        lock.writeLock().lock();
        try {
            datasets.clear();
            eventsApplied.set(0);
            lastEventAt.set(null);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public List<DatasetSummary> datasets() {
        return datasets(Optional.empty());
    }

    /** Ordered by dataset name, then server. */
    public List<DatasetSummary> datasets(Optional<ServerId> server) {
        return read(() -> {
            List<DatasetSummary> result = new ArrayList<>();
            datasets.forEach((id, d) -> {
                if (server.isEmpty() || server.get().equals(id.server())) {
                    result.add(d.summary());
                }
            });
            return result;
        });
    }

    /** The ids of {@link #datasets()}, in the same order, without building their summaries. */
    public List<DatasetId> datasetIds() {
        return read(() -> List.copyOf(datasets.keySet()));
    }

    /** Snapshots of the dataset on every server (or on {@code server}), ordered by createtxg per server. */
    public List<SnapshotRow> snapshots(DatasetName dataset, Optional<ServerId> server) {
        return read(() -> {
            List<SnapshotRow> result = new ArrayList<>();
            datasets.forEach((id, d) -> {
                if (id.dataset().equals(dataset) && (server.isEmpty() || server.get().equals(id.server()))) {
                    result.addAll(d.rows());
                }
            });
            return result;
        });
    }

    /** True if the dataset is known (on {@code server}, or on any server); tells "unknown" from "no snapshots". */
    public boolean knows(DatasetName dataset, Optional<ServerId> server) {
        return read(() -> datasets.keySet().stream().anyMatch(id -> id.dataset().equals(dataset)
                && (server.isEmpty() || server.get().equals(id.server()))));
    }

    /** The dataset's snapshots as recorded, ordered by createtxg; empty when it is not known. */
    public List<SnapshotInfo> snapshots(DatasetId id) {
        return read(() -> Optional.ofNullable(datasets.get(id)).map(DatasetInventory::snapshots).orElse(List.of()));
    }

    /**
     * A number that changes with every event of the dataset applied here, for the schedulers to tell a
     * changed dataset from an unchanged one (a redelivered event changes it too); -1 when not known.
     */
    public long version(DatasetId id) {
        return read(() -> Optional.ofNullable(datasets.get(id)).map(DatasetInventory::version).orElse(-1L));
    }

    /** The retention policy last assigned to the dataset; empty when none (or not known). */
    public Optional<RetentionPolicy> policy(DatasetId id) {
        return read(() -> Optional.ofNullable(datasets.get(id)).flatMap(DatasetInventory::policy));
    }

    /** Counts re-applied events too; zero after a reset. */
    public long eventsApplied() {
        return eventsApplied.get();
    }

    /** Timestamp of the newest event applied so far, for projection-lag health. */
    public Optional<Instant> lastEventAt() {
        return Optional.ofNullable(lastEventAt.get());
    }

    private void update(DatasetId id, Instant storedAt, Consumer<DatasetInventory> change) {
        lock.writeLock().lock();
        try {
            DatasetInventory d = datasets.computeIfAbsent(id, DatasetInventory::new);
            change.accept(d);
            d.changed(versions.incrementAndGet());
            noteApplied(storedAt);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void noteApplied(Instant storedAt) {
        eventsApplied.incrementAndGet();
        if (storedAt != null) {
            lastEventAt.accumulateAndGet(storedAt, (a, b) -> a == null || b.isAfter(a) ? b : a);
        }
    }

    private <T> T read(Supplier<T> query) {
        lock.readLock().lock();
        try {
            return query.get();
        } finally {
            lock.readLock().unlock();
        }
    }
}
