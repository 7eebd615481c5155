package io.zsentinel.replication.link;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;

import java.util.List;
import java.util.Objects;

/** What a link should do next, as {@link ReplicationPlanner} decides it from the two inventories. */
public sealed interface ReplicationPlan {

    /** The source has no snapshot: nothing can be sent. */
    record NothingToSend() implements ReplicationPlan {
    }

    /** The target already has the source's newest snapshot; {@code commonBase} is the source's copy. */
    record UpToDate(SnapshotInfo commonBase) implements ReplicationPlan {
        public UpToDate {
            Objects.requireNonNull(commonBase, "commonBase");
        }
    }

    /** No common snapshot and the target has none of this dataset: send {@code snapshot} whole. */
    record FullSend(SnapshotInfo snapshot) implements ReplicationPlan {
        public FullSend {
            Objects.requireNonNull(snapshot, "snapshot");
        }
    }

    /** Send {@code from} (the common base) → {@code to}; {@code intermediates}: with the snapshots between ({@code -I}). */
    record Incremental(SnapshotInfo from, SnapshotInfo to, boolean intermediates) implements ReplicationPlan {
        public Incremental {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * Send {@code from}, the source's bookmark of the newest common snapshot (the snapshot itself is gone
     * from the source), → {@code to} with {@code -i}: a bookmark cannot be the source of {@code -I}, so
     * {@code to} is the oldest source snapshot after it when the target should keep intermediates.
     */
    record IncrementalFromBookmark(BookmarkInfo from, SnapshotInfo to) implements ReplicationPlan {
        public IncrementalFromBookmark {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * The target holds what the source lacks, or was written to: refuse, never overwrite.
     * {@code commonBase} (source's copy, nullable); {@code targetOnly}: the target's snapshots (target-side
     * names) newer than the base and unknown to the source, oldest first; all of them without a base.
     */
    record Diverged(String reason, SnapshotInfo commonBase, List<SnapshotInfo> targetOnly) implements ReplicationPlan {
        public Diverged {
            Objects.requireNonNull(reason, "reason");
            targetOnly = List.copyOf(targetOnly);
        }
    }
}
