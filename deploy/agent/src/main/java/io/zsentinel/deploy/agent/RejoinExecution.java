package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.agentcommands.AgentCommand;
import io.zsentinel.core.messages.agentcommands.RejoinDataset;
import io.zsentinel.core.messages.agentcommands.ReleaseRescue;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.RescueNames;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.DatasetRole;
import io.zsentinel.core.zfs.SnapshotEntry;
import io.zsentinel.core.zfs.ZfsDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A rejoin on the former primary's side ({@link RejoinDataset}) and the release of what it kept ({@link ReleaseRescue}).
 * Keeping the divergent state costs no copy: the dataset, with every snapshot it has, is renamed aside below
 * {@code <pool>/zsentinel-rescue}, after a snapshot that captures what was written after its newest one; a clone of
 * its common snapshot takes its place and is promoted at once, so the dataset is again an ordinary one holding the
 * common snapshot, and the rescue a clone of it. zfs-fuse refuses an incremental stream into a clone that is not
 * promoted ("invalid backup stream", also with {@code -F}; checked by hand), so the promotion cannot wait for the
 * release. A repeat after a partial run carries on from what it finds (the rescue there means the rename was done).
 */
final class RejoinExecution {
    private static final Logger log = LoggerFactory.getLogger(RejoinExecution.class);

    private final ZfsDriver zfs;
    private final BiFunction<AgentCommand, String, AgentFact> completed;
    private final BiFunction<AgentCommand, String, AgentFact> rejected;

    RejoinExecution(ZfsDriver zfs, BiFunction<AgentCommand, String, AgentFact> completed,
                    BiFunction<AgentCommand, String, AgentFact> rejected) {
        this.zfs = zfs;
        this.completed = completed;
        this.rejected = rejected;
    }

    AgentFact rejoin(RejoinDataset c) {
        DatasetName dataset = c.dataset();
        DatasetName rescue = c.rescue();
        boolean moved = rescue != null && zfs.datasetExists(rescue);
        boolean present = zfs.datasetExists(dataset);
        if (!moved && !present) {
            return rejected.apply(c, dataset + " does not exist; nothing to rejoin");
        }
        if (present) {
            DatasetRole carried = zfs.role(dataset);
            if (c.generation() < carried.generation()) {
                return rejected.apply(c, "generation " + c.generation() + " is older than generation "
                        + carried.generation() + " that " + dataset + " carries: a newer failover happened since this"
                        + " rejoin was ordered; the dataset was not changed");
            }
            if (carried.primary() && carried.generation() == c.generation()) {
                return rejected.apply(c, dataset + " is the primary of service " + c.service() + " at generation "
                        + c.generation() + ": only a former primary is rejoined; the dataset was not changed");
            }
        }
        Optional<Path> mountpoint = present ? zfs.mountpoint(dataset) : Optional.empty();
        if (!moved) {
            Optional<AgentFact> refused = checkCommon(c);
            if (refused.isPresent()) {
                return refused.get();
            }
            List<DatasetName> children = zfs.listDatasets(dataset).stream().map(d -> d.name())
                    .filter(d -> !d.equals(dataset)).toList();
            if (rescue != null && !children.isEmpty()) {
                // a rename would move them aside too, and the clone put in its place would have none
                return rejected.apply(c, dataset + " has child datasets " + children + ": a rejoin keeps only a"
                        + " dataset without children aside; the dataset was not changed");
            }
            zfs.demote(dataset, c.generation()); // writes stop before anything is looked at or moved
            List<String> after = after(c);
            if (rescue == null) {
                if (!after.isEmpty()) {
                    return rejected.apply(c, "snapshots newer than " + c.common() + " exist (" + String.join(", ", after)
                            + ") and no rescue was named to keep them; the dataset was not rolled back");
                }
                zfs.rollback(c.common(), false);
                log.info("rejoined {} at {} (nothing after it) for service {} on command {}", dataset, c.common(),
                        c.service(), c.commandId());
                return completed.apply(c, "nothing newer than " + c.common() + " on " + dataset + ": rolled back to it;"
                        + " a read-only replica of service " + c.service() + " at generation " + c.generation());
            }
            moveAside(c, after);
        }
        if (!zfs.datasetExists(dataset)) {
            SnapshotName origin = rescue.snapshot(c.common().shortName());
            zfs.cloneInPlace(origin, dataset);
            if (mountpoint.isPresent() && !zfs.mountpoint(dataset).equals(mountpoint)) {
                zfs.setProperty(dataset, "mountpoint", mountpoint.get().toString()); // it was set on the dataset
            }
        }
        if (zfs.origin(dataset).isPresent()) {
            zfs.promoteClone(dataset);
        }
        zfs.demote(dataset, c.generation());
        zfs.setProperty(rescue, "readonly", "on");
        zfs.mount(rescue);
        log.info("rejoined {} at {} for service {}, its divergent state kept as {} on command {}", dataset, c.common(),
                c.service(), rescue, c.commandId());
        return completed.apply(c, "kept what " + dataset + " held after " + c.common() + " as " + rescue
                + " (with " + RescueNames.snapshotOf(rescue) + ": what was written after its newest snapshot); "
                + dataset + " is back at " + c.common().shortName() + " (guid " + c.commonGuid() + "), a read-only"
                + " replica of service " + c.service() + " at generation " + c.generation());
    }

    AgentFact release(ReleaseRescue c) {
        if (!zfs.datasetExists(c.dataset())) {
            return completed.apply(c, c.dataset() + " is gone already; nothing released");
        }
        String of = zfs.property(c.dataset(), RescueNames.RESCUE_OF).orElse("");
        if (!of.equals(c.rescuedFrom().value())) {
            return rejected.apply(c, c.dataset() + " is not the rescue of " + c.rescuedFrom() + " (its "
                    + RescueNames.RESCUE_OF + " is '" + of + "'); nothing was destroyed");
        }
        zfs.destroyRecursively(c.dataset());
        log.info("released rescue {} of {} on command {}", c.dataset(), c.rescuedFrom(), c.commandId());
        return completed.apply(c, "destroyed " + c.dataset() + " with its snapshots (the divergent state of "
                + c.rescuedFrom() + ")");
    }

    private Optional<AgentFact> checkCommon(RejoinDataset c) {
        Optional<SnapshotEntry> common = zfs.listSnapshots(c.dataset()).stream()
                .filter(s -> s.name().equals(c.common())).findFirst();
        if (common.isEmpty()) {
            return Optional.of(rejected.apply(c, c.common() + " does not exist on " + c.dataset()
                    + ": the inventory the rejoin was planned on is out of date; plan it again"));
        }
        if (!common.get().guid().equals(c.commonGuid())) {
            return Optional.of(rejected.apply(c, c.common() + " has guid " + common.get().guid() + ", not "
                    + c.commonGuid() + ": it is not the snapshot the new primary holds; nothing was changed"));
        }
        return Optional.empty();
    }

    /** The dataset's own snapshots after the common one, by createtxg. */
    private List<String> after(RejoinDataset c) {
        List<SnapshotEntry> own = zfs.listSnapshots(c.dataset()).stream()
                .filter(s -> s.name().dataset().equals(c.dataset())).toList();
        long txg = own.stream().filter(s -> s.name().equals(c.common())).mapToLong(SnapshotEntry::createtxg)
                .findFirst().orElse(Long.MAX_VALUE);
        return own.stream().filter(s -> s.createtxg() > txg).map(s -> "@" + s.name().shortName()).toList();
    }

    /**
     * Snapshot of the dataset as it is (its unsnapshotted writes), the markers, then the rename: the dataset with all
     * its snapshots moves below the rescue parent, no byte copied. A mountpoint set on the dataset itself moved with
     * it, and would collide with the clone that takes its place: the rescue mounts below its parent instead.
     */
    private void moveAside(RejoinDataset c, List<String> after) {
        DatasetName dataset = c.dataset();
        DatasetName rescue = c.rescue();
        SnapshotName capture = dataset.snapshot(RescueNames.snapshotOf(rescue));
        if (!zfs.snapshotExists(capture)) {
            zfs.createSnapshot(capture);
        }
        Optional<Path> mountpoint = zfs.mountpoint(dataset);
        zfs.setProperty(dataset, RescueNames.RESCUE_OF, dataset.value());
        zfs.setProperty(dataset, RescueNames.RESCUE_FROM, c.common().shortName());
        DatasetName parent = DatasetName.of(dataset.pool().value()).child(RescueNames.PARENT);
        if (!zfs.datasetExists(parent)) {
            zfs.createDataset(parent);
        }
        zfs.rename(dataset, rescue);
        if (mountpoint.isPresent() && zfs.mountpoint(rescue).equals(mountpoint)) {
            zfs.inheritProperty(rescue, "mountpoint");
        }
        log.info("moved {} aside to {} ({} snapshot(s) after {}: {})", dataset, rescue, after.size(), c.common(), after);
    }
}
