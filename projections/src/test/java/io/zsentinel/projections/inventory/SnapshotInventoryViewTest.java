package io.zsentinel.projections.inventory;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.projections.Events;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotRemoved;
import io.zsentinel.replication.api.SnapshotRenamed;
import io.zsentinel.replication.api.SnapshotScheduled;
import io.zsentinel.replication.retention.SnapshotClass;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.zsentinel.projections.Events.A;
import static io.zsentinel.projections.Events.A_VM1;
import static io.zsentinel.projections.Events.B;
import static io.zsentinel.projections.Events.B_VM1;
import static io.zsentinel.projections.Events.T0;
import static io.zsentinel.projections.Events.VM1;
import static io.zsentinel.projections.Events.recorded;
import static io.zsentinel.projections.Events.registered;
import static io.zsentinel.projections.Events.removed;
import static io.zsentinel.projections.Events.renamed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotInventoryViewTest {
    private final SnapshotInventoryView view = new SnapshotInventoryView();
    private Instant stored = T0;

    /** Feeds the events as a processor would, one stored second apart. */
    private void apply(Object... events) {
        for (Object e : events) {
            stored = stored.plusSeconds(1);
            if (e instanceof DatasetRegistered r) {
                view.on(r, stored);
            } else if (e instanceof SnapshotRecorded r) {
                view.on(r, stored);
            } else if (e instanceof SnapshotRenamed r) {
                view.on(r, stored);
            } else if (e instanceof SnapshotRemoved r) {
                view.on(r, stored);
            } else {
                throw new IllegalArgumentException(e.toString());
            }
        }
    }

    @Test
    void aDatasetsVersionChangesWithEachOfItsEventsEvenThoseThisViewShowsNothingOf() {
        assertEquals(-1, view.version(A_VM1), "not known");
        apply(registered(A_VM1), registered(B_VM1));
        long registered = view.version(A_VM1), other = view.version(B_VM1);
        apply(recorded(A_VM1, "s1", 1, true));
        long recorded = view.version(A_VM1);
        assertTrue(recorded != registered);
        view.on(new SnapshotScheduled(A_VM1, SnapshotClass.DAILY, T0, VM1.snapshot("zsentinel_daily_x"), UUID.randomUUID(),
                T0), stored);
        assertTrue(view.version(A_VM1) != recorded, "an order changes what the dataset decides next");
        assertEquals(other, view.version(B_VM1), "another dataset's events leave it as it was");
        view.on(new SnapshotScheduled(new DatasetId(ServerId.of("elsewhere"), VM1),
                SnapshotClass.DAILY, T0, VM1.snapshot("zsentinel_daily_x"), UUID.randomUUID(), T0), stored);
        assertEquals(2, view.datasets().size(), "an unknown dataset is not made known by it");
    }

    private List<String> names(Optional<ServerId> server) {
        return view.snapshots(VM1, server).stream().map(SnapshotRow::name).toList();
    }

    @Test
    void snapshotsAreOrderedByCreatetxgNotByArrivalOrName() {
        apply(registered(A_VM1), recorded(A_VM1, "zz-first", 10, false), recorded(A_VM1, "aa-third", 30, false),
                recorded(A_VM1, "mm-second", 20, true));

        assertEquals(List.of("primary/vm1@zz-first", "primary/vm1@mm-second", "primary/vm1@aa-third"),
                names(Optional.empty()));
        SnapshotRow second = view.snapshots(VM1, Optional.of(A)).get(1);
        assertEquals("mm-second", second.shortName());
        assertEquals(Long.toUnsignedString(Events.guidFor(A_VM1, 20)), second.guid());
        assertTrue(second.guid().length() > 18, "guid above 2^63 stays unsigned decimal");
        assertEquals(T0.plusSeconds(20), second.created());
        assertEquals(20_000, second.usedBytes());
        assertEquals(80_000, second.referencedBytes());
        assertTrue(second.takenByZsentinel());
        assertFalse(view.snapshots(VM1, Optional.of(A)).get(0).takenByZsentinel());
    }

    @Test
    void summaryNamesTheNewestSnapshotByCreatetxg() {
        apply(registered(A_VM1), recorded(A_VM1, "b", 20, false), recorded(A_VM1, "a", 10, false));

        DatasetSummary summary = view.datasets().get(0);
        assertEquals(new DatasetSummary(A, VM1, 2, "primary/vm1@b", T0.plusSeconds(20), T0), summary);
    }

    @Test
    void reapplyingTheSameEventsChangesNothing() {
        Object[] history = {registered(A_VM1), recorded(A_VM1, "a", 10, false), recorded(A_VM1, "b", 20, false),
                renamed(A_VM1, 10, "a", "a-renamed"), removed(A_VM1, 20, "b"), recorded(A_VM1, "c", 30, true)};
        apply(history);
        List<DatasetSummary> datasets = view.datasets();
        List<SnapshotRow> rows = view.snapshots(VM1, Optional.empty());

        apply(history);

        assertEquals(datasets, view.datasets());
        assertEquals(rows, view.snapshots(VM1, Optional.empty()));
        assertEquals(List.of("primary/vm1@a-renamed", "primary/vm1@c"), names(Optional.empty()));
        assertEquals(12, view.eventsApplied());
    }

    @Test
    void aRenameKeepsTheSnapshotsIdentityAndPlace() {
        apply(registered(A_VM1), recorded(A_VM1, "a", 10, true), recorded(A_VM1, "b", 20, false),
                renamed(A_VM1, 10, "a", "kept-forever"));

        List<SnapshotRow> rows = view.snapshots(VM1, Optional.empty());
        assertEquals(List.of("primary/vm1@kept-forever", "primary/vm1@b"), names(Optional.empty()));
        assertEquals("kept-forever", rows.get(0).shortName());
        assertEquals(10, rows.get(0).createtxg());
        assertTrue(rows.get(0).takenByZsentinel());
        // by dataset id, as the link view reads a source's snapshots for the lag: renamed, by createtxg
        assertEquals(List.of("primary/vm1@kept-forever", "primary/vm1@b"),
                view.snapshots(A_VM1).stream().map(s -> s.name().full()).toList());
        assertEquals(new Guid(Events.guidFor(A_VM1, 10)), view.snapshots(A_VM1).get(0).guid());
    }

    @Test
    void aRemovedSnapshotDisappearsAndTheNewestMovesBack() {
        apply(registered(A_VM1), recorded(A_VM1, "a", 10, false), recorded(A_VM1, "b", 20, false),
                removed(A_VM1, 20, "b"));

        assertEquals(List.of("primary/vm1@a"), names(Optional.empty()));
        assertEquals("primary/vm1@a", view.datasets().get(0).newestSnapshot());

        apply(removed(A_VM1, 10, "a"));
        DatasetSummary empty = view.datasets().get(0);
        assertEquals(0, empty.snapshotCount());
        assertNull(empty.newestSnapshot());
        assertNull(empty.newestCreated());
        assertTrue(view.knows(VM1, Optional.of(A)), "a dataset without snapshots is still known");
    }

    @Test
    void twoServersWithTheSameDatasetNameStayApart() {
        apply(registered(A_VM1), registered(B_VM1), recorded(A_VM1, "a", 10, false), recorded(B_VM1, "a", 10, false),
                recorded(B_VM1, "b", 11, false), removed(A_VM1, 10, "a"));

        assertEquals(List.of(A, B), view.datasets().stream().map(DatasetSummary::server).toList());
        assertEquals(0, view.datasets(Optional.of(A)).get(0).snapshotCount());
        assertEquals(2, view.datasets(Optional.of(B)).get(0).snapshotCount());
        assertEquals(List.of(), view.snapshots(VM1, Optional.of(A)));
        assertEquals(List.of("primary/vm1@a", "primary/vm1@b"), names(Optional.of(B)));
        assertTrue(view.snapshots(VM1, Optional.empty()).stream().allMatch(r -> r.server().equals(B)));
    }

    @Test
    void unknownDatasetsAndServersAreTold() {
        apply(registered(A_VM1));

        assertTrue(view.knows(VM1, Optional.empty()));
        assertFalse(view.knows(VM1, Optional.of(B)));
        assertFalse(view.knows(DatasetName.of("primary/vm2"), Optional.empty()));
        assertEquals(List.of(), view.snapshots(A_VM1), "known, without snapshots");
        assertEquals(List.of(), view.snapshots(B_VM1), "not known");
    }

    @Test
    void readersSeeConsistentRowsWhileEventsAreApplied() throws Exception {
        apply(registered(A_VM1));
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> writing = writer.submit(() -> {
                for (long txg = 1; txg <= 5_000; txg++) {
                    view.on(recorded(A_VM1, "s" + txg, txg, false), T0);
                }
            });
            while (!writing.isDone()) {
                List<SnapshotRow> rows = view.snapshots(VM1, Optional.of(A));
                for (int i = 1; i < rows.size(); i++) {
                    assertTrue(rows.get(i - 1).createtxg() < rows.get(i).createtxg());
                }
                assertTrue(view.datasets().get(0).snapshotCount() >= rows.size(), "counts only grow here");
            }
            writing.get();
        } finally {
            writer.shutdownNow();
        }
        assertEquals(5_000, view.datasets().get(0).snapshotCount());
    }

    @Test
    void progressCountsEventsAndResetStartsOver() {
        assertEquals(Optional.empty(), view.lastEventAt());
        apply(registered(A_VM1), recorded(A_VM1, "a", 10, false));
        assertEquals(2, view.eventsApplied());
        assertEquals(Optional.of(T0.plusSeconds(2)), view.lastEventAt());

        view.reset();

        assertEquals(0, view.eventsApplied());
        assertEquals(Optional.empty(), view.lastEventAt());
        assertEquals(List.of(), view.datasets());
    }
}
