package io.zsentinel.replication.link;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.messages.facts.SnapshotLineage;
import io.zsentinel.core.values.Guid;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Planning apart from doing (zrepl's {@code replication/logic/diff}): a pure function from the two
 * inventories to a {@link ReplicationPlan}. Identity is the guid; names are labels (renames, and a
 * dataset destroyed and re-created under the same snapshot names, must not fool it). Each side is
 * ordered by its own createtxg: txgs count per pool, so a source txg is never compared with a target's.
 */
public final class ReplicationPlanner {
    /** Oldest first; snapshots of one txg (taken in the same sync) by creation time, then name, so every plan agrees. */
    private static final Comparator<SnapshotInfo> BY_TXG = SnapshotLineage.OLDEST_FIRST;

    /**
     * {@code targetWritten}: the target's {@code written} property is above 0, i.e. it changed since its
     * newest snapshot. {@code intermediates}: send the snapshots between base and newest ({@code -I}),
     * so the target keeps the history its retention policy expects.
     */
    public record Options(boolean targetWritten, boolean intermediates) {
        public static Options defaults() {
            return new Options(false, true);
        }

        public static Options targetWritten(boolean written) {
            return new Options(written, true);
        }
    }

    private ReplicationPlanner() {
    }

    public static ReplicationPlan plan(List<SnapshotInfo> source, List<SnapshotInfo> target, Options options) {
        return plan(source, List.of(), target, options);
    }

    /**
     * As {@link #plan(List, List, Options)}, with the source's bookmarks (OpenZFS) as further candidates
     * for the common base: a bookmark whose guid the target holds, newer than every common snapshot, is
     * where the next stream starts ({@code -i dataset#bookmark}) after retention destroyed that snapshot.
     */
    public static ReplicationPlan plan(List<SnapshotInfo> source, List<BookmarkInfo> sourceBookmarks,
                                       List<SnapshotInfo> target, Options options) {
        List<SnapshotInfo> src = source.stream().sorted(BY_TXG).toList();
        List<SnapshotInfo> tgt = target.stream().sorted(BY_TXG).toList();
        if (src.isEmpty()) {
            return new ReplicationPlan.NothingToSend();
        }
        SnapshotInfo newest = src.get(src.size() - 1);
        Optional<SnapshotInfo> base = commonBase(src, tgt);
        Set<Guid> onTarget = guids(tgt);
        Optional<BookmarkInfo> mark = sourceBookmarks.stream()
                .filter(b -> onTarget.contains(b.guid()))
                .filter(b -> base.isEmpty() || b.createtxg() > base.get().createtxg())
                .max(Comparator.comparingLong(BookmarkInfo::createtxg));
        if (base.isEmpty() && mark.isEmpty()) {
            if (tgt.isEmpty()) {
                return new ReplicationPlan.FullSend(newest);
            }
            return new ReplicationPlan.Diverged("the target has " + tgt.size()
                    + " snapshot(s) but none in common with the source (by guid): it holds other data,"
                    + " or the source was re-created", null, tgt);
        }
        Guid baseGuid = mark.map(BookmarkInfo::guid).orElseGet(() -> base.get().guid());
        String baseName = mark.map(b -> b.name().full()).orElseGet(() -> base.get().name().full());
        Set<Guid> sourceGuids = guids(src);
        long baseTxgOnTarget = tgt.stream().filter(t -> t.guid().equals(baseGuid)).findFirst()
                .orElseThrow().createtxg();
        List<SnapshotInfo> targetOnly = tgt.stream()
                .filter(t -> t.createtxg() >= baseTxgOnTarget && !t.guid().equals(baseGuid))
                .filter(t -> !sourceGuids.contains(t.guid())).toList();
        SnapshotInfo common = base.orElse(null);
        if (!targetOnly.isEmpty()) {
            return new ReplicationPlan.Diverged("the target has " + targetOnly.size()
                    + " snapshot(s) newer than the common base " + baseName + " that the source lacks",
                    mark.isPresent() ? null : common, targetOnly);
        }
        if (options.targetWritten()) {
            return new ReplicationPlan.Diverged("the target was written to since its newest snapshot",
                    mark.isPresent() ? null : common, List.of());
        }
        if (mark.isPresent()) {
            long markTxg = mark.get().createtxg();
            List<SnapshotInfo> after = src.stream().filter(s -> s.createtxg() > markTxg).toList();
            if (after.isEmpty()) {
                return new ReplicationPlan.NothingToSend(); // the target has all the source still has
            }
            return new ReplicationPlan.IncrementalFromBookmark(mark.get(),
                    options.intermediates() ? after.get(0) : after.get(after.size() - 1));
        }
        if (common.guid().equals(newest.guid())) {
            return new ReplicationPlan.UpToDate(common);
        }
        // -I whenever the link keeps intermediates, even when this inventory shows none between: it may be a
        // moment behind the source (the view and the trigger follow the store apart), and zfs itself then sends
        // every snapshot that lies between on the source at send time
        return new ReplicationPlan.Incremental(common, newest, options.intermediates());
    }

    /** The newest snapshot (by source createtxg) whose guid also exists on the target; the source's copy. */
    public static Optional<SnapshotInfo> commonBase(List<SnapshotInfo> source, List<SnapshotInfo> target) {
        return SnapshotLineage.commonBase(source, target);
    }

    private static Set<Guid> guids(List<SnapshotInfo> snapshots) {
        return SnapshotLineage.guids(snapshots);
    }
}
