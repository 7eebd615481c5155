package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;

import java.time.Instant;
import java.util.Collections;
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
    public DatasetState {
        snapshots = Collections.unmodifiableMap(new LinkedHashMap<>(snapshots));
        lastSlots = Collections.unmodifiableMap(lastSlots.isEmpty() ? new EnumMap<>(SnapshotClass.class) : new EnumMap<>(lastSlots));
        pending = Collections.unmodifiableMap(new LinkedHashMap<>(pending));
        checkpoints = Collections.unmodifiableSet(new LinkedHashSet<>(checkpoints));
        protections = Collections.unmodifiableMap(new LinkedHashMap<>(protections));
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

    DatasetState registeredNow() {
        return new DatasetState(id, true, snapshots, lastInventoryAt, policy, lastSlots, pending, checkpoints, protections);
    }

    DatasetState with(SnapshotInfo snapshot) {
        Map<Guid, SnapshotInfo> copy = new LinkedHashMap<>(snapshots);
        copy.put(snapshot.guid(), snapshot);
        return new DatasetState(id, registered, copy, lastInventoryAt, policy, lastSlots, pending, checkpoints, protections);
    }

    /** The snapshot is gone: so are its checkpoint mark and the protections on it. */
    DatasetState without(Guid guid) {
        Map<Guid, SnapshotInfo> copy = new LinkedHashMap<>(snapshots);
        SnapshotInfo gone = copy.remove(guid);
        Set<SnapshotName> marks = new LinkedHashSet<>(checkpoints);
        if (gone != null) {
            marks.remove(gone.name());
        }
        Map<Guid, Map<String, ProtectionKind>> held = new LinkedHashMap<>(protections);
        held.remove(guid);
        return new DatasetState(id, registered, copy, lastInventoryAt, policy, lastSlots, pending, marks, held);
    }

    DatasetState observedAt(Instant at) {
        return at.isAfter(lastInventoryAt)
                ? new DatasetState(id, registered, snapshots, at, policy, lastSlots, pending, checkpoints, protections) : this;
    }

    DatasetState withPolicy(RetentionPolicy newPolicy) {
        return new DatasetState(id, registered, snapshots, lastInventoryAt, newPolicy, lastSlots, pending, checkpoints, protections);
    }

    DatasetState slotTaken(SnapshotClass klass, Instant slot) {
        Map<SnapshotClass, Instant> copy = new EnumMap<>(SnapshotClass.class);
        copy.putAll(lastSlots);
        copy.merge(klass, slot, (a, b) -> a.isAfter(b) ? a : b);
        return new DatasetState(id, registered, snapshots, lastInventoryAt, policy, copy, pending, checkpoints, protections);
    }

    DatasetState ordered(UUID commandId, PendingCommand command) {
        Map<UUID, PendingCommand> copy = new LinkedHashMap<>(pending);
        copy.put(commandId, command);
        return new DatasetState(id, registered, snapshots, lastInventoryAt, policy, lastSlots, copy, checkpoints, protections);
    }

    DatasetState settled(UUID commandId) {
        if (!pending.containsKey(commandId)) {
            return this;
        }
        Map<UUID, PendingCommand> copy = new LinkedHashMap<>(pending);
        copy.remove(commandId);
        return new DatasetState(id, registered, snapshots, lastInventoryAt, policy, lastSlots, copy, checkpoints, protections);
    }

    /** Commands settled by the inventory itself: the snapshot to take exists, or the one to destroy is gone. */
    DatasetState settledBy(SnapshotName appeared, Guid vanished) {
        Map<UUID, PendingCommand> copy = new LinkedHashMap<>(pending);
        copy.values().removeIf(p -> (p.type().equals(PendingCommand.TAKE) && p.subject().equals(appeared))
                || (p.type().equals(PendingCommand.DESTROY) && vanished != null && vanished.equals(p.guid())));
        return copy.size() == pending.size() ? this
                : new DatasetState(id, registered, snapshots, lastInventoryAt, policy, lastSlots, copy, checkpoints, protections);
    }

    DatasetState checkpoint(SnapshotName name, boolean keep) {
        Set<SnapshotName> copy = new LinkedHashSet<>(checkpoints);
        if (keep) {
            copy.add(name);
        } else {
            copy.remove(name);
        }
        return new DatasetState(id, registered, snapshots, lastInventoryAt, policy, lastSlots, pending, copy, protections);
    }

    DatasetState protect(Guid guid, String holder, ProtectionKind kind) {
        Map<Guid, Map<String, ProtectionKind>> copy = new LinkedHashMap<>(protections);
        Map<String, ProtectionKind> holders = new LinkedHashMap<>(copy.getOrDefault(guid, Map.of()));
        if (kind == null) {
            holders.remove(holder);
        } else {
            holders.put(holder, kind);
        }
        if (holders.isEmpty()) {
            copy.remove(guid);
        } else {
            copy.put(guid, Collections.unmodifiableMap(holders));
        }
        return new DatasetState(id, registered, snapshots, lastInventoryAt, policy, lastSlots, pending, checkpoints, copy);
    }

    /** Holders of the snapshot with {@code guid} and how strongly each protects it. */
    public Map<String, ProtectionKind> holders(Guid guid) {
        return protections.getOrDefault(guid, Map.of());
    }
}
