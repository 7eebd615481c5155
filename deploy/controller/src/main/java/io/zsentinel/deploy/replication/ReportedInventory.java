package io.zsentinel.deploy.replication;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.Guid;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.schedule.AgentReports;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Each dataset's latest inventory report as it arrives, for the link planner: its snapshots (fresher than
 * the inventory view, which follows the store a moment later), its bookmarks (OpenZFS), and when its agent
 * last saw it written to since its newest snapshot. Not events: the next scan reports them again, and a stale
 * "written" is judged by the link itself. Empty for a dataset not reported since the controller started.
 */
public final class ReportedInventory implements AgentReports {
    private record Report(List<SnapshotInfo> snapshots, List<BookmarkInfo> bookmarks, Instant writtenSeenAt,
                          Instant reportedAt, long version) {
    }

    private final Map<DatasetId, Report> byDataset = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    public void reported(SnapshotInventoryReported r) {
        Instant written = r.writtenBytes() != null && r.writtenBytes() > 0 ? r.at() : null;
        byDataset.merge(new DatasetId(r.server(), r.dataset()),
                new Report(r.snapshots(), r.bookmarks(), written, r.at(), versions.incrementAndGet()),
                (old, now) -> now.reportedAt().isBefore(old.reportedAt()) ? old : now);
    }

    /** Changes with every report taken; -1 when none arrived since the controller started. */
    @Override
    public long version(DatasetId dataset) {
        Report r = byDataset.get(dataset);
        return r == null ? -1 : r.version();
    }

    /** The snapshots of the latest report; empty when none arrived since the controller started. */
    public Optional<List<SnapshotInfo>> snapshots(DatasetId dataset) {
        return Optional.ofNullable(byDataset.get(dataset)).map(Report::snapshots);
    }

    /** Each snapshot's used bytes as last reported, by guid (they grow as the live data moves away from it). */
    public Map<Guid, Long> usedBytes(DatasetId dataset) {
        Report r = byDataset.get(dataset);
        return r == null ? Map.of() : r.snapshots().stream()
                .collect(Collectors.toMap(SnapshotInfo::guid, SnapshotInfo::usedBytes, (a, b) -> a));
    }

    public List<BookmarkInfo> bookmarks(DatasetId dataset) {
        Report r = byDataset.get(dataset);
        return r == null ? List.of() : r.bookmarks();
    }

    /** When the dataset's inventory was last reported (it is reported when it changes); null: not yet. */
    public Instant reportedAt(DatasetId dataset) {
        Report r = byDataset.get(dataset);
        return r == null ? null : r.reportedAt();
    }

    /** When the dataset was last reported written to since its newest snapshot; null if not (or unknown). */
    public Instant writtenSeenAt(DatasetId dataset) {
        Report r = byDataset.get(dataset);
        return r == null ? null : r.writtenSeenAt();
    }
}
