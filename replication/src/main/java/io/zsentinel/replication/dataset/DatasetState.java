package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What zsentinel knows of one dataset: its snapshots keyed by guid; the observation time of the
 * last inventory applied (an older, redelivered inventory must not undo newer knowledge); its
 * retention policy (null: none) and the newest slot taken per class (monotonic, so a pruned slot is
 * never taken again); the agent commands in flight; the checkpoints (protected until released); and
 * the snapshots replication links need, per holder.
 */
public record DatasetState(DatasetId id, boolean registered, Map<Guid, SnapshotInfo> snapshots,
                           Instant lastInventoryAt, RetentionPolicy policy, Map<SnapshotClass, Instant> lastSlots,
                           Map<UUID, PendingCommand> pending, Set<SnapshotName> checkpoints,
                           Map<Guid, Map<String, ProtectionKind>> protections) {
    /**
     * Copies what it is given, except the frozen collections of a {@link DatasetEvolution}: those are
     * nobody's to write any more, so a state folded from ten thousand events is not copied ten
     * thousand times.
     */
    public DatasetState {
        snapshots = Frozen.isFrozen(snapshots) ? snapshots : Frozen.map(new LinkedHashMap<>(snapshots));
        lastSlots = Frozen.isFrozen(lastSlots) ? lastSlots
                : Frozen.map(lastSlots.isEmpty() ? new EnumMap<>(SnapshotClass.class) : new EnumMap<>(lastSlots));
        pending = Frozen.isFrozen(pending) ? pending : Frozen.map(new LinkedHashMap<>(pending));
        checkpoints = Frozen.isFrozen(checkpoints) ? checkpoints : Frozen.set(new LinkedHashSet<>(checkpoints));
        protections = Frozen.isFrozen(protections) ? protections : Frozen.map(new LinkedHashMap<>(protections));
    }

    public static DatasetState initial(DatasetId id) {
        return new DatasetState(id, false, Map.of(), Instant.EPOCH, null, Map.of(), Map.of(), Set.of(), Map.of());
    }

    public Optional<SnapshotInfo> snapshot(Guid guid) {
        return Optional.ofNullable(snapshots.get(guid));
    }

    public Optional<SnapshotInfo> snapshot(SnapshotName name) {
        return snapshots.values().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Oldest first, by createtxg: names and creation times can lie under clock skew, txgs cannot. */
    public List<SnapshotInfo> snapshotsOldestFirst() {
        return snapshots.values().stream().sorted(Comparator.comparingLong(SnapshotInfo::createtxg)).toList();
    }

    public boolean isPending(SnapshotName subject) {
        return pending.values().stream().anyMatch(p -> p.subject().equals(subject));
    }

    /** Holders of the snapshot with {@code guid} and how strongly each protects it. */
    public Map<String, ProtectionKind> holders(Guid guid) {
        return protections.getOrDefault(guid, Map.of());
    }
}
