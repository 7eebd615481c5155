package io.zsentinel.deploy.replication;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ReportedInventoryTest {
    static final ServerId SERVER = ServerId.of("standby");
    static final DatasetName DS = DatasetName.of("backup/vm1");
    static final DatasetId ID = new DatasetId(SERVER, DS);
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    static SnapshotInventoryReported report(Instant at, Long written, List<BookmarkInfo> marks) {
        return new SnapshotInventoryReported(SERVER, DS, List.of(), at, marks, written);
    }

    @Test
    void writtenIsWhenTheAgentSawItAndNothingWhenUnknownOrZero() {
        ReportedInventory reported = new ReportedInventory();
        assertNull(reported.writtenSeenAt(ID));
        reported.reported(report(T0, null, List.of()));
        assertNull(reported.writtenSeenAt(ID), "zfs-fuse: cannot tell");
        reported.reported(report(T0.plusSeconds(1), 4096L, List.of()));
        assertEquals(T0.plusSeconds(1), reported.writtenSeenAt(ID));
        reported.reported(report(T0.plusSeconds(2), 0L, List.of()));
        assertNull(reported.writtenSeenAt(ID));
    }

    @Test
    void theLatestReportedSnapshotsAreKeptNothingBeforeTheFirstReport() {
        ReportedInventory reported = new ReportedInventory();
        assertEquals(java.util.Optional.empty(), reported.snapshots(ID));
        SnapshotInfo s = new SnapshotInfo(DS.snapshot("a"), new Guid(3), 7, T0, 0, 0);
        reported.reported(new SnapshotInventoryReported(SERVER, DS, List.of(s), T0, List.of(), null));
        assertEquals(java.util.Optional.of(List.of(s)), reported.snapshots(ID));
        assertEquals(T0, reported.reportedAt(ID));
    }

    @Test
    void anOlderReportArrivingLateChangesNothing() {
        ReportedInventory reported = new ReportedInventory();
        BookmarkInfo mark = new BookmarkInfo(new BookmarkName(DS, "m"), new Guid(1), 10, T0);
        reported.reported(report(T0.plusSeconds(5), 0L, List.of(mark)));
        reported.reported(report(T0, 4096L, List.of()));
        assertNull(reported.writtenSeenAt(ID));
        assertEquals(List.of(mark), reported.bookmarks(ID));
    }
}
