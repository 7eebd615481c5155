package io.zsentinel.replication.schedule;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.replication.api.DatasetId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The port through which the link schedule reads each dataset's latest inventory report from its agent
 * (fresher than the {@link ReplicationInventory}); nothing for a dataset not reported since the controller started.
 */
public interface AgentReports {
    /** The snapshots of the latest report; empty when none arrived. */
    Optional<List<SnapshotInfo>> snapshots(DatasetId dataset);

    /** The bookmarks of the latest report (OpenZFS); empty when none arrived. */
    List<BookmarkInfo> bookmarks(DatasetId dataset);

    /** When the dataset's inventory was last reported; null: not yet. */
    Instant reportedAt(DatasetId dataset);

    /** A number that changes with every report of the dataset taken; -1 when none arrived. */
    long version(DatasetId dataset);

    /** When the dataset was last reported written to since its newest snapshot; null if not (or unknown). */
    Instant writtenSeenAt(DatasetId dataset);
}
