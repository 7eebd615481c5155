package io.zsentinel.replication.link;

import io.zsentinel.replication.api.link.BaseChanged;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkEvent;
import io.zsentinel.replication.api.link.LinkRetired;
import io.zsentinel.replication.api.link.LinkSettingsChanged;
import io.zsentinel.replication.api.link.RetireLink;
import io.zsentinel.replication.api.link.SnapshotRef;
import io.zsentinel.replication.api.link.TargetCaughtUp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.zsentinel.replication.link.Links.LINK;
import static io.zsentinel.replication.link.Links.SOURCE;
import static io.zsentinel.replication.link.Links.plan;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.A;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.A_ON_TARGET;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.B;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.at;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.only;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.syncedOnA;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.transferringAtoC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A link taken out of the configuration gives its base back, once, and can be configured again. */
class ReplicationLinkRetireTest {

    @Test
    void retiringReleasesTheBaseOnceAndStopsPlanning() {
        Links.Run run = syncedOnA();
        assertEquals(List.of(new LinkRetired(LINK, SOURCE, A.guid(), "removed", at(100))),
                run.when(new RetireLink(LINK, "removed", at(100))));
        assertEquals(LINK.toString(), new LinkRetired(LINK, SOURCE, A.guid(), "", at(0)).holder(),
                "the holder its BaseChanged protected the base for");
        assertEquals(List.of(), run.when(new RetireLink(LINK, "removed", at(110))), "once");
        assertEquals(List.of(), run.when(plan(at(5000), List.of(A, B), List.of(A_ON_TARGET))).stream()
                .filter(e -> !(e instanceof io.zsentinel.replication.api.link.LinkStateChanged)).toList(),
                "a retired link plans nothing");
    }

    @Test
    void aTransferInFlightIsLetFinishBeforeTheLinkIsRetired() {
        Links.Run run = transferringAtoC();
        assertEquals(List.of(), run.when(new RetireLink(LINK, "removed", at(1000))));
    }

    @Test
    void configuredAgainItCarriesOnFromWhatBothSidesHaveAndProtectsThatBase() {
        Links.Run run = syncedOnA();
        run.when(new RetireLink(LINK, "removed", at(100)));
        EstablishLink again = Links.establish();
        List<LinkEvent> events = run.when(again);
        assertTrue(only(LinkSettingsChanged.class, events) != null);
        List<LinkEvent> planned = run.when(plan(at(200), List.of(A), List.of(A_ON_TARGET)));
        assertEquals(SnapshotRef.of(A), only(TargetCaughtUp.class, planned).base());
        assertEquals(new BaseChanged(LINK, SOURCE, null, SnapshotRef.of(A), at(200)), only(BaseChanged.class, planned));
    }
}
