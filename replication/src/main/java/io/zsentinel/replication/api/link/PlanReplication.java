package io.zsentinel.replication.api.link;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The controller's tick for one link, with both sides' snapshot inventories from its views, the
 * source's bookmarks (OpenZFS), {@code targetWrittenSeenAt}: when the target's agent last reported it
 * written to since its newest snapshot ({@code written} > 0), null when it did not or cannot tell, and
 * {@code targetReportedAt}: when the target's inventory was last reported (null: not since the controller
 * started), which tells the link whether that inventory can already show its last transfer.
 */
public record PlanReplication(@TargetAggregateIdentifier LinkId linkId, List<SnapshotInfo> sourceSnapshots,
                              List<SnapshotInfo> targetSnapshots, Instant targetWrittenSeenAt, Instant now,
                              List<BookmarkInfo> sourceBookmarks, Instant targetReportedAt) implements LinkCommand {
    public PlanReplication(LinkId linkId, List<SnapshotInfo> sourceSnapshots, List<SnapshotInfo> targetSnapshots,
                           boolean targetWritten, Instant now) {
        this(linkId, sourceSnapshots, targetSnapshots, targetWritten ? now : null, now, List.of(), null);
    }

    public PlanReplication(LinkId linkId, List<SnapshotInfo> sourceSnapshots, List<SnapshotInfo> targetSnapshots,
                           Instant targetWrittenSeenAt, Instant now, List<BookmarkInfo> sourceBookmarks) {
        this(linkId, sourceSnapshots, targetSnapshots, targetWrittenSeenAt, now, sourceBookmarks, null);
    }

    public PlanReplication {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(now, "now");
        sourceSnapshots = List.copyOf(sourceSnapshots);
        targetSnapshots = List.copyOf(targetSnapshots);
        sourceBookmarks = List.copyOf(sourceBookmarks == null ? List.of() : sourceBookmarks);
    }
}
