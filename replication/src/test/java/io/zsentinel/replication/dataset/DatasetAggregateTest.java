package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.ProtectSnapshot;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.api.ProtectionReleased;
import io.zsentinel.replication.api.RecordSnapshotGone;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotProtected;
import io.zsentinel.replication.api.SnapshotRemoved;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static io.zsentinel.replication.dataset.DatasetDeciderTest.ID;
import static io.zsentinel.replication.dataset.DatasetDeciderTest.T0;
import static io.zsentinel.replication.dataset.DatasetDeciderTest.inventory;
import static io.zsentinel.replication.dataset.DatasetDeciderTest.snap;

class DatasetAggregateTest {
    private AggregateTestFixture<DatasetAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(DatasetAggregate.class);
    }

    @Test
    void aNewDatasetIsRegisteredOnFirstSighting() {
        SnapshotInfo a = snap("manual-1", 7, 10);
        fixture.givenNoPriorActivity()
                .when(inventory(T0, a))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new DatasetRegistered(ID, T0), new SnapshotRecorded(ID, a, null, T0));
    }

    @Test
    void aDuplicateInventoryProducesNoEvents() {
        SnapshotInfo a = snap("manual-1", 7, 10);
        fixture.given(new DatasetRegistered(ID, T0), new SnapshotRecorded(ID, a, null, T0))
                .when(inventory(T0.plusSeconds(3), a))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aSnapshotMissingFromTheInventoryIsRemoved() {
        SnapshotInfo a = snap("a", 7, 10), b = snap("b", 8, 11);
        Instant t1 = T0.plusSeconds(30);
        fixture.given(new DatasetRegistered(ID, T0), new SnapshotRecorded(ID, a, null, T0),
                        new SnapshotRecorded(ID, b, null, T0))
                .when(inventory(t1, b))
                .expectEvents(new SnapshotRemoved(ID, a.name(), a.guid(), "missing from the inventory of " + t1, t1));
    }

    @Test
    void aGoneReportForAnUnknownGuidIsIgnored() {
        SnapshotInfo a = snap("a", 7, 10);
        fixture.given(new DatasetRegistered(ID, T0))
                .when(new RecordSnapshotGone(ID, a.name(), a.guid(), UUID.randomUUID(), T0, UUID.randomUUID()))
                .expectNoEvents();
    }

    /** A link holds one base: protecting its new one releases its previous one in the same step, no other link's. */
    @Test
    void aLinksNewBaseReleasesItsPreviousBaseAndNoOtherLinks() {
        SnapshotInfo a = snap("a", 7, 10), b = snap("b", 8, 20);
        fixture.given(new DatasetRegistered(ID, T0), new SnapshotRecorded(ID, a, null, T0),
                        new SnapshotRecorded(ID, b, null, T0),
                        new SnapshotProtected(ID, a.name(), a.guid(), "link:standby", ProtectionKind.BASE),
                        new SnapshotProtected(ID, a.name(), a.guid(), "link:offsite", ProtectionKind.BASE))
                .when(new ProtectSnapshot(ID, b.guid(), "link:standby", ProtectionKind.BASE))
                .expectEvents(new SnapshotProtected(ID, b.name(), b.guid(), "link:standby", ProtectionKind.BASE),
                        new ProtectionReleased(ID, a.name(), a.guid(), "link:standby"));
    }

    @Test
    void aBaseThatIsNotOnTheSourceIsRefusedAndThePreviousOneStaysHeld() {
        SnapshotInfo a = snap("a", 7, 10);
        fixture.given(new DatasetRegistered(ID, T0), new SnapshotRecorded(ID, a, null, T0),
                        new SnapshotProtected(ID, a.name(), a.guid(), "link:standby", ProtectionKind.BASE))
                .when(new ProtectSnapshot(ID, new io.zsentinel.core.values.Guid(99), "link:standby", ProtectionKind.BASE))
                .expectNoEvents().expectException(IllegalArgumentException.class);
    }
}
