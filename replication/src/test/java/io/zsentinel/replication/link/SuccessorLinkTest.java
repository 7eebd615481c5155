package io.zsentinel.replication.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.BaseChanged;
import io.zsentinel.replication.api.link.EstablishAndPlan;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkEvent;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.LinkState;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.RecordTransferCompleted;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.api.link.ReplicationSucceeded;
import io.zsentinel.replication.api.link.ResolveDivergence;
import io.zsentinel.replication.api.link.SnapshotRef;
import io.zsentinel.replication.api.link.TargetCaughtUp;
import io.zsentinel.replication.api.link.TargetDiverged;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.zsentinel.replication.link.Links.ALICE;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11: after a failover the new primary (the former standby) gets a link of its own to the offsite DC, which
 * until then received from the failed primary. The standby received its snapshots from that primary too, so the guids
 * match across the three servers (each side with its own pool's txgs): the link's first transfer is incremental from
 * the newest snapshot the standby and the offsite share, never a full resend; and snapshots the offsite holds beyond
 * it (received from the failed primary after the standby's last receive) stop the link instead of being rolled back.
 */
class SuccessorLinkTest {
    static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
    static final DatasetId STANDBY = new DatasetId(ServerId.of("standby"), DatasetName.of("standby/vm1"));
    static final DatasetId OFFSITE = new DatasetId(ServerId.of("offsite"), DatasetName.of("offsite/vm1"));
    static final LinkId LINK = new LinkId(STANDBY, OFFSITE);

    /** Snapshot {@code n} (guid n) as {@code dataset}'s pool holds it: its own txg. */
    static SnapshotInfo on(DatasetId dataset, int n, long txgBase) {
        return new SnapshotInfo(dataset.dataset().snapshot("s" + n), new Guid(n), txgBase + n, T0.plusSeconds(60L * n),
                100, 200);
    }

    static List<SnapshotInfo> standby(int... n) {
        return java.util.Arrays.stream(n).mapToObj(i -> on(STANDBY, i, 5000)).toList();
    }

    static List<SnapshotInfo> offsite(int... n) {
        return java.util.Arrays.stream(n).mapToObj(i -> on(OFFSITE, i, 90)).toList();
    }

    static EstablishAndPlan firstPlan(List<SnapshotInfo> source, List<SnapshotInfo> target, Instant now) {
        return new EstablishAndPlan(new EstablishLink(STANDBY, OFFSITE.server(), OFFSITE.dataset(), Duration.ofMinutes(5),
                LinkPolicy.defaults(), now), new PlanReplication(LINK, source, target, false, now));
    }

    static Links.Run newLink() {
        Links.Run run = new Links.Run();
        run.state = ReplicationLinkState.initial(LINK);
        return run;
    }

    @Test
    void theFirstTransferIsIncrementalFromTheNewestSnapshotBothShareByGuid() {
        Links.Run run = newLink();
        List<LinkEvent> events = run.when(firstPlan(standby(1, 2, 3, 4, 5), offsite(1, 2, 3), T0));

        ReplicationScheduled s = only(ReplicationScheduled.class, events);
        assertEquals(SnapshotRef.of(on(STANDBY, 3, 5000)), s.from(), "from s3, the standby's copy (same guid as the offsite's)");
        assertEquals(SnapshotRef.of(on(STANDBY, 5, 5000)), s.to());
        assertTrue(s.intermediates(), "-I: s4 too, so the offsite keeps the history");
        assertFalse(s.rollbackTarget(), "nothing on the offsite is discarded");
        assertEquals(LinkState.TRANSFERRING, run.state.state());

        List<LinkEvent> done = run.when(new RecordTransferCompleted(LINK, s.transferId(), new Guid(5), T0.plusSeconds(30)));
        assertEquals(SnapshotRef.of(on(STANDBY, 5, 5000)), only(ReplicationSucceeded.class, done).newBase());
        assertEquals(new Guid(5), only(BaseChanged.class, done).newBase().guid(), "the new base is protected on the standby");
    }

    @Test
    void anOffsiteAsFarAsTheStandbyIsCaughtUpWithoutATransfer() {
        List<LinkEvent> events = newLink().when(firstPlan(standby(1, 2, 3), offsite(1, 2, 3), T0));
        assertEquals(new Guid(3), only(TargetCaughtUp.class, events).base().guid());
        assertTrue(events.stream().noneMatch(ReplicationScheduled.class::isInstance));
    }

    @Test
    void anOffsiteWithSnapshotsTheStandbyNeverReceivedStopsTheLinkAndKeepsThem() {
        Links.Run run = newLink();
        // the failed primary sent s4 to the offsite after the standby's last receive (s3); the standby took s5 since
        List<SnapshotInfo> standby = List.of(on(STANDBY, 1, 5000), on(STANDBY, 2, 5000), on(STANDBY, 3, 5000),
                new SnapshotInfo(STANDBY.dataset().snapshot("s5"), new Guid(5), 5010, T0.plusSeconds(600), 100, 200));
        List<LinkEvent> events = run.when(firstPlan(standby, offsite(1, 2, 3, 4), T0));

        TargetDiverged diverged = only(TargetDiverged.class, events);
        assertEquals(new Guid(3), diverged.commonBase().guid(), "the newest snapshot both share");
        assertEquals(List.of(new Guid(4)), diverged.targetOnly().stream().map(SnapshotRef::guid).toList());
        assertTrue(diverged.reason().contains("only copy of that source's last writes")
                && diverged.reason().contains("replication resolve " + LINK + " --rollback-target"), diverged.reason());
        assertTrue(events.stream().noneMatch(ReplicationScheduled.class::isInstance), "nothing sent, nothing rolled back");
        assertEquals(LinkState.DIVERGED, run.state.state());

        run.when(new ResolveDivergence(LINK, true, ALICE, "s4 saved to the archive", T0.plusSeconds(60)));
        ReplicationScheduled resend = only(ReplicationScheduled.class,
                run.when(new PlanReplication(LINK, standby, offsite(1, 2, 3, 4), false, T0.plusSeconds(61))));
        assertEquals(new Guid(3), resend.from().guid(), "still incremental, from the common base");
        assertTrue(resend.rollbackTarget(), "with the operator's consent only");
    }

    @Test
    void aLinkThatSentBeforeKeepsThePlannersPlainReason() {
        Links.Run run = newLink();
        ReplicationScheduled s = only(ReplicationScheduled.class, run.when(firstPlan(standby(1, 2), offsite(1), T0)));
        run.when(new RecordTransferCompleted(LINK, s.transferId(), new Guid(2), T0.plusSeconds(30)));
        TargetDiverged diverged = only(TargetDiverged.class, run.when(new PlanReplication(LINK, standby(1, 2, 3),
                offsite(1, 2, 7), false, T0.plusSeconds(3600))));
        assertFalse(diverged.reason().contains("another source"), diverged.reason());
    }
}
