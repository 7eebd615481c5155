package io.zsentinel.deploy.transfer;

import io.zsentinel.core.messages.agentcommands.StartTransfer;
import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.messages.facts.SnapshotLineage;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.DatasetRole;
import io.zsentinel.core.zfs.SendSpec;
import io.zsentinel.core.zfs.ZfsErrorKind;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Before a stream starts, what the two sides say about the order: it is already carried out (a redelivered or
 * replayed order), it must be refused (and whether a retry can help and whether the target is at fault), or
 * it may stream. An incremental stream needs the target; a full one must not replace an existing target.
 * Pure: the sides are read through {@link Sides}, each only when the decision needs it, and the planner's rules
 * decide ({@link SnapshotLineage}: a side's newest snapshot by its own createtxg, snapshots matched by guid).
 */
final class TransferPreflight {
    /** The two sides as zfs reports them now. */
    interface Sides {
        /** The guid of the ordered snapshot on the target, when it is there. */
        Optional<Guid> targetSnapshotGuid();

        /** The guid of the ordered snapshot on the source. */
        Guid sourceSnapshotGuid();

        /** The token of an interrupted {@code receive -s} on the target (OpenZFS). */
        Optional<String> partialReceive();

        /** The target dataset's own snapshots. */
        List<SnapshotInfo> targetSnapshots();

        /** The guid of the incremental source (a snapshot or a bookmark) on the source. */
        Guid incrementalSourceGuid();

        /** The source dataset's own snapshots. */
        List<SnapshotInfo> sourceSnapshots();

        List<BookmarkInfo> sourceBookmarks();

        /** The target dataset's part in a service (an existing target only). */
        DatasetRole targetRole();

        /** The source dataset's part in a service. */
        DatasetRole sourceRole();
    }

    sealed interface Verdict {
        /** Nothing stands in the way: stream it. */
        record Stream() implements Verdict {
        }

        /** The target holds the ordered snapshot already (same guid): completed, nothing streamed. */
        record AlreadyThere(Guid guid) implements Verdict {
        }

        /** Refused: {@code targetFault} counts against the target's circuit breaker. */
        record Refused(String reason, boolean retriable, String resumeToken, boolean targetFault) implements Verdict {
        }
    }

    private TransferPreflight() {
    }

    static Verdict check(StartTransfer command, SendSpec spec, boolean targetExists, Sides sides) {
        SnapshotName targetSnapshot = command.targetDataset().snapshot(command.to().shortName());
        DatasetRole role = targetExists ? sides.targetRole() : DatasetRole.NONE;
        if (role.primary()) {
            // after a failover the old primary's links may still send: never onto the dataset that now serves
            return new Verdict.Refused("target " + command.targetDataset() + " on " + command.targetServer()
                    + " is the writable primary of its service (generation " + role.generation() + "): replication never"
                    + " writes onto a primary; the links are planned again from the new primary", false, null, false);
        }
        Verdict fenced = fenced(command, role, sides);
        if (fenced != null) {
            return fenced;
        }
        Optional<Guid> there = targetExists ? sides.targetSnapshotGuid() : Optional.empty();
        if (there.isPresent()) {
            Guid here = sides.sourceSnapshotGuid();
            if (there.get().equals(here)) {
                return new Verdict.AlreadyThere(there.get());
            }
            return new Verdict.Refused("target " + targetSnapshot + " on " + command.targetServer() + " has guid "
                    + there.get() + ", not " + here + " as " + command.to() + " here: the target diverged. "
                    + ZfsErrorKind.DIVERGED.correction(), false, null, false);
        }
        if (spec.resumeToken() != null) {
            return new Verdict.Stream();
        }
        Optional<String> partial = targetExists ? sides.partialReceive() : Optional.empty();
        if (partial.isPresent()) {
            // OpenZFS kept an interrupted `receive -s` (whose token this order lost, e.g. after a stall): a new
            // stream would be refused, and a full one would look like replacing the target; resume it instead
            return new Verdict.Refused("target " + command.targetDataset() + " on " + command.targetServer()
                    + " holds a partly received stream (receive -s); the next attempt resumes it", true, partial.get(),
                    false);
        }
        if (spec.incremental() && !targetExists) {
            return new Verdict.Refused("target " + command.targetDataset() + " does not exist on "
                    + command.targetServer() + ": an incremental stream from " + command.from() + " needs it (pool "
                    + "exported, or the dataset destroyed: the next plan sends a full stream once the target's "
                    + "inventory shows it gone)", true, null, true);
        }
        if (spec.incremental()) {
            return incremental(command, sides);
        }
        if (targetExists) {
            java.util.Set<Guid> sent = sides.sourceSnapshots().stream().map(SnapshotInfo::guid)
                    .collect(java.util.stream.Collectors.toSet());
            Optional<SnapshotInfo> shared = sides.targetSnapshots().stream().filter(t -> sent.contains(t.guid()))
                    .max(java.util.Comparator.comparingLong(SnapshotInfo::createtxg));
            if (shared.isPresent()) {
                // the plan was made before the target's inventory showed what an earlier transfer put there (a first
                // full send, then a new snapshot at once): not a divergence; the next plan sends incrementally
                return new Verdict.Refused("target " + command.targetDataset() + " on " + command.targetServer()
                        + " already holds " + shared.get().name() + " (guid " + shared.get().guid() + ") of the source:"
                        + " the plan was stale (a full stream planned before the target's inventory showed it); the next"
                        + " plan sends incrementally from it", true, null, false);
            }
            return new Verdict.Refused("target " + command.targetDataset() + " already exists on "
                    + command.targetServer() + ": a full stream would have to replace it (receive -F), which "
                    + "zsentinel never does by itself. " + ZfsErrorKind.DIVERGED.correction(), false, null, false);
        }
        return new Verdict.Stream();
    }

    /**
     * Generation fencing: an order older than what the target carries (a newer primary of the service sends to it
     * since a failover: this is a former primary's order, or one dispatched before the controller knew of the
     * failover), or than what the source carries while it no longer serves (a demoted former primary), is refused.
     * Retriable: the link retries, and an order the controller re-issues with the right generation goes through,
     * while a former primary's links are paused and re-issue nothing. Null when the order may go on.
     */
    private static Verdict fenced(StartTransfer command, DatasetRole target, Sides sides) {
        if (target.generation() > command.generation()) {
            return new Verdict.Refused("target " + command.targetDataset() + " on " + command.targetServer()
                    + " carries generation " + target.generation() + ", newer than this order's " + command.generation()
                    + ": a newer primary of its service replicates to it since a failover, so this order is stale",
                    true, null, false);
        }
        DatasetRole source = sides.sourceRole();
        if (!source.primary() && source.generation() > command.generation()) {
            return new Verdict.Refused(command.to().dataset() + " here carries generation " + source.generation()
                    + " and no longer serves its service (demoted), newer than this order's " + command.generation()
                    + ": a server that lost its service sends nothing until an operator rejoins it", true, null, false);
        }
        return null;
    }

    /**
     * zfs-fuse accepts an incremental onto a target whose newest snapshot is its own when no data changed since;
     * the rule (the target's newest snapshot must be the incremental source) is checked here for every zfs.
     */
    private static Verdict incremental(StartTransfer command, Sides sides) {
        Optional<SnapshotInfo> newest = SnapshotLineage.newest(sides.targetSnapshots());
        Guid base = sides.incrementalSourceGuid();
        if (newest.isPresent() && newest.get().guid().equals(base)) {
            return new Verdict.Stream();
        }
        int order = newest.isEmpty() ? 0 : sourceOrder(newest.get(), base, sides);
        if (order > 0) {
            // The target is ahead of this plan (the controller planned on an inventory older than the
            // last transfer): not a divergence; a fresh plan starts from the target's newest snapshot.
            return new Verdict.Refused("target " + command.targetDataset() + " on " + command.targetServer()
                    + " already has " + newest.get().name() + ", newer than the planned incremental source "
                    + command.from() + "; the plan was stale and is made again", true, null, false);
        }
        if (order < 0) {
            // The target's newest is an older common snapshot: the planned source was destroyed there
            // (or the plan assumed a transfer the target lost); nothing of its own, so plan again from it.
            return new Verdict.Refused("target " + command.targetDataset() + " on " + command.targetServer()
                    + " lacks the planned incremental source " + command.from() + "; its newest snapshot "
                    + newest.get().name() + " is older, and the next plan starts there", true, null, false);
        }
        return new Verdict.Refused("target " + command.targetDataset() + " on " + command.targetServer()
                + " diverged: its newest snapshot is " + newest.map(n -> n.name() + " (guid " + n.guid() + ")")
                .orElse("none") + ", not the incremental source " + command.from() + " (guid " + base + "). "
                + ZfsErrorKind.DIVERGED.correction(), false, null, false);
    }

    /**
     * Where the target's {@code newest} snapshot stands on the source against the planned base: 1 newer,
     * -1 older, 0 when the source does not know it (the target's own: a divergence) or the base. Both are
     * placed by the source's createtxg; the base may be a bookmark.
     */
    private static int sourceOrder(SnapshotInfo newest, Guid base, Sides sides) {
        List<SnapshotInfo> source = sides.sourceSnapshots();
        Optional<SnapshotInfo> common = SnapshotLineage.commonBase(source, List.of(newest));
        OptionalLong baseTxg = source.stream().filter(s -> s.guid().equals(base))
                .mapToLong(SnapshotInfo::createtxg).findFirst();
        if (baseTxg.isEmpty()) {
            baseTxg = sides.sourceBookmarks().stream().filter(b -> b.guid().equals(base))
                    .mapToLong(BookmarkInfo::createtxg).findFirst();
        }
        if (baseTxg.isEmpty() || common.isEmpty()) {
            return 0;
        }
        return Long.compare(common.get().createtxg(), baseTxg.getAsLong());
    }
}
