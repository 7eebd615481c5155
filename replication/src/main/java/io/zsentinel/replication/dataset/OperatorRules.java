package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.api.CheckpointOrdered;
import io.zsentinel.replication.api.CheckpointReleased;
import io.zsentinel.replication.api.DatasetEvent;
import io.zsentinel.replication.api.OperatorActionRecorded;
import io.zsentinel.replication.api.OperatorCommand;
import io.zsentinel.replication.api.OrderRestore;
import io.zsentinel.replication.api.OrderRollback;
import io.zsentinel.replication.api.Refusal;
import io.zsentinel.replication.api.ReleaseCheckpoint;
import io.zsentinel.replication.api.RestoreOrdered;
import io.zsentinel.replication.api.RollbackOrdered;
import io.zsentinel.replication.api.TakeCheckpoint;
import io.zsentinel.replication.retention.SnapshotNaming;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Operator commands: checkpoint, release, rollback, restore. Each is audited (who, what, why) and
 * refused with a message that says what would happen and how to proceed, before anything is ordered.
 */
final class OperatorRules {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private OperatorRules() {
    }

    static void decide(DatasetState state, OperatorCommand command, List<DatasetEvent> events) {
        UUID commandId = CommandIds.of(state.id(), command.getClass().getSimpleName(), command.at().toString());
        if (command instanceof TakeCheckpoint c) {
            SnapshotName name = state.id().dataset().snapshot(SnapshotNaming.CHECKPOINT_PREFIX
                    + SECONDS.format(c.at().truncatedTo(ChronoUnit.SECONDS)));
            if (state.snapshot(name).isPresent() || state.isPending(name)) {
                throw Refusal.conflict("checkpoint " + name + " was already taken this second", "retry in a second");
            }
            events.add(audit(state, c, "checkpoint " + name, commandId));
            events.add(new CheckpointOrdered(c.id(), name, commandId, c.at()));
        } else if (command instanceof ReleaseCheckpoint c) {
            if (!state.checkpoints().contains(c.snapshot())) {
                throw Refusal.invalid(c.snapshot() + " is not a checkpoint of " + describe(state),
                        "checkpoints: " + (state.checkpoints().isEmpty() ? "none" : state.checkpoints()));
            }
            events.add(audit(state, c, "release checkpoint " + c.snapshot(), commandId));
            events.add(new CheckpointReleased(c.id(), c.snapshot(),
                    state.snapshot(c.snapshot()).map(SnapshotInfo::guid).orElse(null), c.at()));
        } else if (command instanceof OrderRollback c) {
            SnapshotInfo target = existing(state, c.snapshot());
            List<SnapshotInfo> newer = state.snapshotsOldestFirst().stream()
                    .filter(s -> s.createtxg() > target.createtxg()).toList();
            if (!newer.isEmpty() && !c.destroyNewer()) {
                throw Refusal.conflict("rolling " + describe(state) + " back to " + c.snapshot()
                        + " would destroy " + newer.size() + " newer snapshot(s): " + names(newer),
                        "repeat with --destroy-newer to destroy them");
            }
            List<SnapshotInfo> held = newer.stream()
                    .filter(s -> s.userRefs() > 0 || state.checkpoints().contains(s.name())).toList();
            if (!held.isEmpty()) {
                throw Refusal.conflict("rolling " + describe(state) + " back to " + c.snapshot()
                        + " would destroy held or checkpoint snapshot(s) " + names(held),
                        "release them first (zsentinel checkpoint release / zfs release)");
            }
            events.add(audit(state, c, "rollback to " + c.snapshot()
                    + (newer.isEmpty() ? "" : ", destroying " + names(newer)), commandId));
            events.add(new RollbackOrdered(c.id(), c.snapshot(), c.destroyNewer(),
                    newer.stream().map(SnapshotInfo::name).toList(), commandId, c.at()));
        } else if (command instanceof OrderRestore c) {
            existing(state, c.snapshot());
            String to = c.targetDirectory().isEmpty() ? "the agent's restore directory" : c.targetDirectory();
            events.add(audit(state, c, "restore " + c.path() + " from " + c.snapshot() + " to " + to, commandId));
            events.add(new RestoreOrdered(c.id(), c.snapshot(), c.path(), c.targetDirectory(), commandId, c.at()));
        } else {
            throw new IllegalArgumentException("unknown operator command " + command.getClass().getName());
        }
    }

    private static SnapshotInfo existing(DatasetState state, SnapshotName name) {
        if (!name.dataset().equals(state.id().dataset())) {
            throw Refusal.invalid(name + " is not a snapshot of " + describe(state),
                    "name a snapshot of this dataset, or its short name");
        }
        return state.snapshot(name).orElseThrow(() -> Refusal.invalid("no snapshot " + name + " on " + describe(state),
                "`zsentinel status` or GET /api/datasets/…/snapshots lists them"));
    }

    private static OperatorActionRecorded audit(DatasetState state, OperatorCommand c, String action, UUID commandId) {
        return new OperatorActionRecorded(state.id(), c.operator(), action, c.reason(), commandId, c.at());
    }

    private static String describe(DatasetState state) {
        return state.id().dataset() + " on server " + state.id().server();
    }

    private static String names(List<SnapshotInfo> snapshots) {
        return snapshots.stream().map(s -> s.name().shortName()).collect(Collectors.joining(", "));
    }
}
