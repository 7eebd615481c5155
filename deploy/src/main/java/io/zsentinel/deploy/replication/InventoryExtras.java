package io.zsentinel.deploy.replication;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.replication.api.DatasetId;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agents' inventory reports say beyond the snapshots, kept as it arrives for the link planner:
 * each dataset's bookmarks (OpenZFS) and when its agent last saw it written to since its newest snapshot.
 * Not events: both are re-reported by the next scan, and a stale "written" is judged by the link itself.
 */
public final class InventoryExtras {
    private record Extras(List<BookmarkInfo> bookmarks, Instant writtenSeenAt, Instant reportedAt) {
    }

    private final Map<DatasetId, Extras> byDataset = new ConcurrentHashMap<>();

    public void reported(SnapshotInventoryReported r) {
        Instant written = r.writtenBytes() != null && r.writtenBytes() > 0 ? r.at() : null;
        byDataset.merge(new DatasetId(r.server(), r.dataset()), new Extras(r.bookmarks(), written, r.at()),
                (old, now) -> now.reportedAt().isBefore(old.reportedAt()) ? old : now);
    }

    public List<BookmarkInfo> bookmarks(DatasetId dataset) {
        Extras e = byDataset.get(dataset);
        return e == null ? List.of() : e.bookmarks();
    }

    /** When the dataset's inventory was last reported (it is reported when it changes); null: not yet. */
    public Instant reportedAt(DatasetId dataset) {
        Extras e = byDataset.get(dataset);
        return e == null ? null : e.reportedAt();
    }

    /** When the dataset was last reported written to since its newest snapshot; null if not (or unknown). */
    public Instant writtenSeenAt(DatasetId dataset) {
        Extras e = byDataset.get(dataset);
        return e == null ? null : e.writtenSeenAt();
    }
}
