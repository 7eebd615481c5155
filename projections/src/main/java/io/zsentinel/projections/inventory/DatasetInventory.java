package io.zsentinel.projections.inventory;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.retention.RetentionPolicy;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The snapshots of one dataset on one server, keyed by guid (a snapshot's identity), so that
 * re-applying an event sets the same value again instead of adding a second row. Not thread-safe:
 * {@link SnapshotInventoryView} guards it.
 */
final class DatasetInventory {
    private static final Comparator<Entry> BY_TXG = Comparator.comparingLong((Entry e) -> e.info.createtxg())
            .thenComparing(e -> e.info.name());

    private record Entry(SnapshotInfo info, UUID commandId) {
    }

    private final DatasetId id;
    private final Map<Guid, Entry> byGuid = new HashMap<>();
    private Instant registeredAt;
    private RetentionPolicy policy;
    private long version = -1;

    DatasetInventory(DatasetId id) {
        this.id = id;
    }

    void registered(Instant at) {
        registeredAt = at;
    }

    void recorded(SnapshotInfo info, UUID commandId) {
        byGuid.put(info.guid(), new Entry(info, commandId));
    }

    void renamed(Guid guid, SnapshotName to) {
        byGuid.computeIfPresent(guid, (g, e) -> new Entry(withName(e.info, to), e.commandId));
    }

    void removed(Guid guid) {
        byGuid.remove(guid);
    }

    /** An event of the dataset was applied; {@code next}: a version never handed out before. */
    void changed(long next) {
        version = next;
    }

    long version() {
        return version;
    }

    void policy(RetentionPolicy assigned) {
        policy = assigned;
    }

    Optional<RetentionPolicy> policy() {
        return Optional.ofNullable(policy);
    }

    DatasetSummary summary() {
        Entry newest = byGuid.values().stream().max(BY_TXG).orElse(null);
        return new DatasetSummary(id.server(), id.dataset(), byGuid.size(),
                newest == null ? null : newest.info.name().full(),
                newest == null ? null : newest.info.created(), registeredAt);
    }

    List<SnapshotInfo> snapshots() {
        return byGuid.values().stream().sorted(BY_TXG).map(Entry::info).toList();
    }

    List<SnapshotRow> rows() {
        return byGuid.values().stream().sorted(BY_TXG).map(this::row).toList();
    }

    private SnapshotRow row(Entry e) {
        SnapshotInfo s = e.info;
        return new SnapshotRow(id.server(), id.dataset(), s.name().full(), s.name().shortName(), s.guid().decimal(),
                s.createtxg(), s.created(), s.usedBytes(), s.referencedBytes(), e.commandId != null);
    }

    private static SnapshotInfo withName(SnapshotInfo s, SnapshotName name) {
        return new SnapshotInfo(name, s.guid(), s.createtxg(), s.created(), s.usedBytes(), s.referencedBytes());
    }
}
