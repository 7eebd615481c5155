package io.zsentinel.deploy.replication;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.link.EstablishAndPlan;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.PauseLink;
import io.zsentinel.replication.api.link.PlanReplication;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.zsentinel.deploy.replication.FailoverLinksTest.O_VM1;
import static io.zsentinel.deploy.replication.FailoverLinksTest.PRIMARY;
import static io.zsentinel.deploy.replication.FailoverLinksTest.P_VM1;
import static io.zsentinel.deploy.replication.FailoverLinksTest.STANDBY;
import static io.zsentinel.deploy.replication.FailoverLinksTest.S_VM1;
import static io.zsentinel.deploy.replication.FailoverLinksTest.T0;
import static io.zsentinel.deploy.replication.FailoverLinksTest.TO_OFFSITE;
import static io.zsentinel.deploy.replication.FailoverLinksTest.TO_STANDBY;
import static io.zsentinel.deploy.replication.FailoverLinksTest.switched;
import static io.zsentinel.deploy.replication.LinkSchedulerTickTest.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Issue 11: the replication ticker after a service switch pauses the former primary's links once per run, plans no
 * transfer from it any more, and establishes and plans the new primary's link to the offsite DC on both sides'
 * inventories, at once when the trigger hears of the switch.
 */
class FailoverRelinkTickTest {
    final List<Object> sent = Collections.synchronizedList(new ArrayList<>());
    final List<LinkId> known = new ArrayList<>();
    final SnapshotInventoryView view = new SnapshotInventoryView();
    final ServiceSwitches switches = new ServiceSwitches();
    final LinkScheduler scheduler = new LinkScheduler(new ReplicationConfig(null, List.of(TO_STANDBY, TO_OFFSITE)),
            view, new ReportedInventory(), () -> List.copyOf(known), link -> -1, RecordingGateway.into(sent), null, switches,
            Clock.fixed(T0, ZoneOffset.UTC));

    /** Snapshot {@code n} of {@code dataset}: the same guid on every server, the createtxg of that server's pool. */
    static SnapshotInfo snap(DatasetId dataset, int n, long txgBase) {
        return new SnapshotInfo(dataset.dataset().snapshot("s" + n), new Guid(1000 + n), txgBase + n, T0.plusSeconds(n), 1, 1);
    }

    void inView(DatasetId dataset, long txgBase, int... snapshots) {
        view.on(new DatasetRegistered(dataset, T0), T0);
        for (int n : snapshots) {
            view.on(new SnapshotRecorded(dataset, snap(dataset, n, txgBase), null, T0), T0);
        }
    }

    List<Object> tick() {
        sent.clear();
        scheduler.tick();
        return List.copyOf(sent);
    }

    @Test
    void afterASwitchTheFormerPrimarysLinksArePausedOnceAndTheNewPrimaryReplicatesToTheOffsite() {
        inView(P_VM1, 100, 1, 2, 3, 4, 5);
        inView(S_VM1, 500, 1, 2, 3, 4, 5);
        inView(O_VM1, 900, 1, 2, 3);
        assertEquals(List.of("EstablishAndPlan", "EstablishAndPlan"), types(tick()), "primary → standby, → offsite");
        known.addAll(List.of(new LinkId(P_VM1, S_VM1), new LinkId(P_VM1, O_VM1)));

        ServiceSwitched w = switched(PRIMARY, STANDBY, 2, "primary/vm1");
        new ServiceSwitches().on(w); // an unrelated instance: the scheduler reads its own
        switches.on(w);
        List<Object> after = tick();

        assertEquals(List.of("EstablishAndPlan", "PauseLink", "PauseLink"), types(after));
        PlanReplication plan = ((EstablishAndPlan) after.get(0)).plan();
        assertEquals(new LinkId(S_VM1, O_VM1), plan.linkId());
        assertEquals(5, plan.sourceSnapshots().size(), "the new primary's snapshots");
        assertEquals(3, plan.targetSnapshots().size(), "what the offsite holds");
        assertEquals(List.of(new LinkId(P_VM1, S_VM1), new LinkId(P_VM1, O_VM1)),
                after.subList(1, 3).stream().map(c -> ((PauseLink) c).linkId()).toList());

        view.on(new SnapshotRecorded(P_VM1, snap(P_VM1, 6, 100), null, T0), T0);
        assertEquals(List.of(), tick(), "the former primary's links are neither planned nor paused again in this run,"
                + " nor retired");
    }

    @Test
    void theTriggerReplansAtOnceWhenAServiceSwitches() {
        inView(S_VM1, 500, 1, 2);
        inView(O_VM1, 900, 1);
        known.add(new LinkId(P_VM1, O_VM1));
        ReplicationTrigger trigger = new ReplicationTrigger();
        trigger.startWith(scheduler);
        trigger.on(switched(PRIMARY, STANDBY, 2, "primary/vm1"));
        assertEquals(List.of("EstablishAndPlan", "PauseLink"), types(sent));
        assertEquals(new LinkId(S_VM1, O_VM1), assertInstanceOf(EstablishAndPlan.class, sent.get(0)).linkId());
        assertEquals(1, switches.all().size());
    }

    @Test
    void aRedeliveredSwitchChangesNothingAndARestartedSchedulerPausesAgainWithoutRetiringAnything() {
        inView(S_VM1, 500, 1, 2);
        inView(O_VM1, 900, 1);
        known.addAll(List.of(new LinkId(P_VM1, S_VM1), new LinkId(P_VM1, O_VM1)));
        ServiceSwitched w = switched(PRIMARY, STANDBY, 2, "primary/vm1");
        scheduler.serviceSwitched(w);
        known.add(new LinkId(S_VM1, O_VM1));
        sent.clear();
        scheduler.serviceSwitched(w);
        assertEquals(List.of(), sent, "redelivered: the links are what they were");
        assertEquals(1, switches.all().size());

        // a restart: the views (and the switches with them) are rebuilt from the store before the first pass
        ServiceSwitches rebuilt = new ServiceSwitches();
        rebuilt.on(w);
        List<Object> afterRestart = new ArrayList<>();
        try (LinkScheduler restarted = new LinkScheduler(new ReplicationConfig(null, List.of(TO_STANDBY, TO_OFFSITE)),
                view, new ReportedInventory(), () -> List.copyOf(known), link -> -1, RecordingGateway.into(afterRestart),
                null, rebuilt, Clock.fixed(T0, ZoneOffset.UTC))) {
            restarted.tick();
        }
        assertEquals(List.of("EstablishAndPlan", "PauseLink", "PauseLink"), types(afterRestart),
                "the successor established again (nothing stored if it is) and planned; the pauses sent again (a paused"
                        + " link stores nothing); no link retired");
        assertEquals(new LinkId(S_VM1, O_VM1), ((EstablishAndPlan) afterRestart.get(0)).linkId());
    }
}
