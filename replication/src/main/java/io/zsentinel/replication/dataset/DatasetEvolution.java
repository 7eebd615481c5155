package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.api.AgentCommandFailed;
import io.zsentinel.replication.api.AgentCommandSucceeded;
import io.zsentinel.replication.api.CheckpointOrdered;
import io.zsentinel.replication.api.CheckpointReleased;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetEvent;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.OperatorActionRecorded;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.api.ProtectionReleased;
import io.zsentinel.replication.api.RestoreOrdered;
import io.zsentinel.replication.api.RetentionPolicyChanged;
import io.zsentinel.replication.api.RollbackOrdered;
import io.zsentinel.replication.api.SnapshotHoldsChanged;
import io.zsentinel.replication.api.SnapshotProtected;
import io.zsentinel.replication.api.SnapshotPruned;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotRemoved;
import io.zsentinel.replication.api.SnapshotRenamed;
import io.zsentinel.replication.api.SnapshotScheduled;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;
import io.zsentinel.replication.retention.SnapshotNaming;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The fold of dataset events into a {@link DatasetState}, in place: each event changes one entry of
 * one collection, so a history of n events costs O(n), not the O(n²) of copying every map per
 * event. Copy on write keeps the states it hands out immutable: {@link #state()} freezes the current
 * collections (no copy) and the next event that writes one of them copies that one first, once.
 * Not thread-safe: one owner (an aggregate instance, which Axon locks, or a single fold).
 */
final class DatasetEvolution {
    private final DatasetId id;
    private DatasetState frozen;
    private boolean registered;
    private Instant lastInventoryAt;
    private RetentionPolicy policy;
    private Map<Guid, SnapshotInfo> snapshots;
    private Map<SnapshotClass, Instant> lastSlots;
    private Map<UUID, PendingCommand> pending;
    private Set<SnapshotName> checkpoints;
    private Map<Guid, Map<String, ProtectionKind>> protections;
    private boolean snapshotsShared = true;
    private boolean lastSlotsShared = true;
    private boolean pendingShared = true;
    private boolean checkpointsShared = true;
    private boolean protectionsShared = true;

    DatasetEvolution(DatasetState from) {
        id = from.id();
        frozen = from;
        registered = from.registered();
        lastInventoryAt = from.lastInventoryAt();
        policy = from.policy();
        snapshots = from.snapshots();
        lastSlots = from.lastSlots();
        pending = from.pending();
        checkpoints = from.checkpoints();
        protections = from.protections();
    }

    /** The state so far; immutable, and shared with this evolution until its next write. */
    DatasetState state() {
        if (frozen == null) {
            snapshotsShared = lastSlotsShared = pendingShared = checkpointsShared = protectionsShared = true;
            frozen = new DatasetState(id, registered, Frozen.map(snapshots), lastInventoryAt, policy,
                    Frozen.map(lastSlots), Frozen.map(pending), Frozen.set(checkpoints), Frozen.map(protections));
        }
        return frozen;
    }

    DatasetEvolution apply(DatasetEvent event) {
        if (event instanceof DatasetRegistered) {
            if (!registered) {
                changed();
                registered = true;
            }
        } else if (event instanceof SnapshotRecorded e) {
            putSnapshot(e.snapshot());
            observedAt(e.observedAt());
            settleBy(e.snapshot().name(), null);
            SnapshotNaming.parse(e.snapshot().name().shortName()).ifPresent(slot -> slotTaken(slot.klass(), slot.slot()));
        } else if (event instanceof SnapshotRenamed e) {
            SnapshotInfo s = snapshots.get(e.guid());
            if (s != null) {
                putSnapshot(new SnapshotInfo(e.to(), s.guid(), s.createtxg(), s.created(), s.usedBytes(),
                        s.referencedBytes(), s.userRefs()));
            }
            observedAt(e.observedAt());
        } else if (event instanceof SnapshotHoldsChanged e) {
            SnapshotInfo s = snapshots.get(e.guid());
            if (s != null) {
                putSnapshot(new SnapshotInfo(s.name(), s.guid(), s.createtxg(), s.created(), s.usedBytes(),
                        s.referencedBytes(), e.userRefs()));
            }
            observedAt(e.observedAt());
        } else if (event instanceof SnapshotRemoved e) {
            removeSnapshot(e.guid());
            observedAt(e.at());
            settleBy(null, e.guid());
        } else if (event instanceof RetentionPolicyChanged e) {
            changed();
            policy = e.policy();
        } else if (event instanceof SnapshotScheduled e) {
            order(e.commandId(), new PendingCommand(PendingCommand.TAKE, e.name(), null, e.at()));
        } else if (event instanceof SnapshotPruned e) {
            order(e.commandId(), new PendingCommand(PendingCommand.DESTROY, e.name(), e.guid(), e.at()));
        } else if (event instanceof CheckpointOrdered e) {
            order(e.commandId(), new PendingCommand(PendingCommand.TAKE, e.snapshot(), null, e.at()));
            checkpoint(e.snapshot(), true);
        } else if (event instanceof CheckpointReleased e) {
            checkpoint(e.snapshot(), false);
        } else if (event instanceof RollbackOrdered e) {
            order(e.commandId(), new PendingCommand(PendingCommand.ROLLBACK, e.snapshot(), null, e.at()));
        } else if (event instanceof RestoreOrdered e) {
            order(e.commandId(), new PendingCommand(PendingCommand.RESTORE, e.snapshot(), null, e.at()));
        } else if (event instanceof AgentCommandSucceeded e) {
            settle(e.commandId());
        } else if (event instanceof AgentCommandFailed e) {
            PendingCommand failed = pending.get(e.commandId());
            if (failed != null && failed.type().equals(PendingCommand.TAKE) && checkpoints.contains(failed.subject())) {
                // A checkpoint that could not be taken protects nothing; the operator decides whether to retry.
                settle(e.commandId());
                checkpoint(failed.subject(), false);
            } else if (failed == null || !(failed.type().equals(PendingCommand.TAKE)
                    || failed.type().equals(PendingCommand.DESTROY))) {
                settle(e.commandId());
            } // else scheduled work: stays pending, so it is retried after RETRY_AFTER, not at every tick
        } else if (event instanceof SnapshotProtected e) {
            protect(e.guid(), e.holder(), e.kind());
        } else if (event instanceof ProtectionReleased e) {
            protect(e.guid(), e.holder(), null);
        } else if (!(event instanceof OperatorActionRecorded)) {
            throw new IllegalArgumentException("unknown dataset event " + event.getClass().getName());
        }
        return this;
    }

    /** About to write: the frozen state (if any) keeps the collections as they are. */
    private void changed() {
        frozen = null;
    }

    private void putSnapshot(SnapshotInfo snapshot) {
        changed();
        if (snapshotsShared) {
            snapshots = new LinkedHashMap<>(snapshots);
            snapshotsShared = false;
        }
        snapshots.put(snapshot.guid(), snapshot);
    }

    /** The snapshot is gone: so are its checkpoint mark and the protections on it. */
    private void removeSnapshot(Guid guid) {
        if (!snapshots.containsKey(guid)) {
            if (protections.containsKey(guid)) {
                writableProtections().remove(guid);
            }
            return;
        }
        changed();
        if (snapshotsShared) {
            snapshots = new LinkedHashMap<>(snapshots);
            snapshotsShared = false;
        }
        SnapshotInfo gone = snapshots.remove(guid);
        if (checkpoints.contains(gone.name())) {
            writableCheckpoints().remove(gone.name());
        }
        if (protections.containsKey(guid)) {
            writableProtections().remove(guid);
        }
    }

    private void observedAt(Instant at) {
        if (at.isAfter(lastInventoryAt)) {
            changed();
            lastInventoryAt = at;
        }
    }

    private void slotTaken(SnapshotClass klass, Instant slot) {
        Instant known = lastSlots.get(klass);
        if (known != null && !slot.isAfter(known)) {
            return;
        }
        changed();
        if (lastSlotsShared) {
            Map<SnapshotClass, Instant> copy = new EnumMap<>(SnapshotClass.class);
            copy.putAll(lastSlots);
            lastSlots = copy;
            lastSlotsShared = false;
        }
        lastSlots.put(klass, slot);
    }

    private void order(UUID commandId, PendingCommand command) {
        writablePending().put(commandId, command);
    }

    private void settle(UUID commandId) {
        if (pending.containsKey(commandId)) {
            writablePending().remove(commandId);
        }
    }

    /** Commands settled by the inventory itself: the snapshot to take exists, or the one to destroy is gone. */
    private void settleBy(SnapshotName appeared, Guid vanished) {
        boolean any = false;
        for (PendingCommand p : pending.values()) {
            if (settledBy(p, appeared, vanished)) {
                any = true;
                break;
            }
        }
        if (any) {
            writablePending().values().removeIf(p -> settledBy(p, appeared, vanished));
        }
    }

    private static boolean settledBy(PendingCommand p, SnapshotName appeared, Guid vanished) {
        return (p.type().equals(PendingCommand.TAKE) && p.subject().equals(appeared))
                || (p.type().equals(PendingCommand.DESTROY) && vanished != null && vanished.equals(p.guid()));
    }

    private void checkpoint(SnapshotName name, boolean keep) {
        if (checkpoints.contains(name) != keep) {
            if (keep) {
                writableCheckpoints().add(name);
            } else {
                writableCheckpoints().remove(name);
            }
        }
    }

    private void protect(Guid guid, String holder, ProtectionKind kind) {
        Map<String, ProtectionKind> holders = new LinkedHashMap<>(protections.getOrDefault(guid, Map.of()));
        if (kind == null) {
            holders.remove(holder);
        } else {
            holders.put(holder, kind);
        }
        if (holders.isEmpty()) {
            if (protections.containsKey(guid)) {
                writableProtections().remove(guid);
            }
        } else {
            writableProtections().put(guid, Collections.unmodifiableMap(holders));
        }
    }

    private Map<UUID, PendingCommand> writablePending() {
        changed();
        if (pendingShared) {
            pending = new LinkedHashMap<>(pending);
            pendingShared = false;
        }
        return pending;
    }

    private Set<SnapshotName> writableCheckpoints() {
        changed();
        if (checkpointsShared) {
            checkpoints = new LinkedHashSet<>(checkpoints);
            checkpointsShared = false;
        }
        return checkpoints;
    }

    private Map<Guid, Map<String, ProtectionKind>> writableProtections() {
        changed();
        if (protectionsShared) {
            protections = new LinkedHashMap<>(protections);
            protectionsShared = false;
        }
        return protections;
    }

    /** Equal when they have reached the same state (Axon's test fixture compares aggregates by their fields). */
    @Override
    public boolean equals(Object o) {
        return o instanceof DatasetEvolution other && state().equals(other.state());
    }

    @Override
    public int hashCode() {
        return state().hashCode();
    }
}
