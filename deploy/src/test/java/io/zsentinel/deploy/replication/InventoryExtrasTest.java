package io.zsentinel.deploy.replication;

import io.zsentinel.core.messages.facts.BookmarkInfo;
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

class InventoryExtrasTest {
    static final ServerId SERVER = ServerId.of("standby");
    static final DatasetName DS = DatasetName.of("backup/vm1");
    static final DatasetId ID = new DatasetId(SERVER, DS);
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    static SnapshotInventoryReported report(Instant at, Long written, List<BookmarkInfo> marks) {
        return new SnapshotInventoryReported(SERVER, DS, List.of(), at, marks, written);
    }

    @Test
    void writtenIsWhenTheAgentSawItAndNothingWhenUnknownOrZero() {
        InventoryExtras extras = new InventoryExtras();
        assertNull(extras.writtenSeenAt(ID));
        extras.reported(report(T0, null, List.of()));
        assertNull(extras.writtenSeenAt(ID), "zfs-fuse: cannot tell");
        extras.reported(report(T0.plusSeconds(1), 4096L, List.of()));
        assertEquals(T0.plusSeconds(1), extras.writtenSeenAt(ID));
        extras.reported(report(T0.plusSeconds(2), 0L, List.of()));
        assertNull(extras.writtenSeenAt(ID));
    }

    @Test
    void anOlderReportArrivingLateChangesNothing() {
        InventoryExtras extras = new InventoryExtras();
        BookmarkInfo mark = new BookmarkInfo(new BookmarkName(DS, "m"), new Guid(1), 10, T0);
        extras.reported(report(T0.plusSeconds(5), 0L, List.of(mark)));
        extras.reported(report(T0, 4096L, List.of()));
        assertNull(extras.writtenSeenAt(ID));
        assertEquals(List.of(mark), extras.bookmarks(ID));
    }
}
