package io.zsentinel.deploy.replication;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.link.EstablishAndPlan;
import io.zsentinel.replication.api.link.PlanReplication;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the scheduler shows a link's plan: never a source view that is behind what the target already holds. */
class LinkSchedulerTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final DatasetId SOURCE = new DatasetId(ServerId.of("primary"), DatasetName.of("primary/vm1"));
    static final DatasetId TARGET = new DatasetId(ServerId.of("standby"), DatasetName.of("standby/vm1"));

    final List<PlanReplication> plans = new ArrayList<>();
    final SnapshotInventoryView view = new SnapshotInventoryView();
    final ReportedInventory reported = new ReportedInventory();
    final LinkScheduler scheduler = new LinkScheduler(
            new ReplicationConfig(null, List.of(new LinkRule("primary/vm*", "primary", "standby", "standby", "1m", null))),
            view, reported, List::of, link -> -1, gateway(), Clock.fixed(T0, ZoneOffset.UTC));

    CommandGateway gateway() {
        return (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CommandGateway.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendAndWait")) {
                        if (args[0] instanceof PlanReplication p) {
                            plans.add(p);
                        } else if (args[0] instanceof EstablishAndPlan e) {
                            plans.add(e.plan());
                        }
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static SnapshotInfo snap(DatasetId on, String name, long guid, long txg) {
        return new SnapshotInfo(on.dataset().snapshot(name), new Guid(guid), txg, T0.plusSeconds(txg), 1, 1);
    }

    void inView(SnapshotInfo... snapshots) {
        view.on(new DatasetRegistered(SOURCE, T0), T0);
        for (SnapshotInfo s : snapshots) {
            view.on(new SnapshotRecorded(SOURCE, s, null, T0), T0);
        }
    }

    void reported(DatasetId dataset, SnapshotInfo... snapshots) {
        reported.reported(new SnapshotInventoryReported(dataset.server(), dataset.dataset(), List.of(snapshots), T0));
    }

    @Test
    void aSourceViewBehindWhatTheTargetHoldsIsNotPlannedOnItWouldLookDiverged() {
        SnapshotInfo s1 = snap(SOURCE, "s1", 1, 10), s2 = snap(SOURCE, "s2", 2, 20);
        inView(s1); // the view has not applied s2 yet
        reported(SOURCE, s1, s2);
        reported(TARGET, snap(TARGET, "s1", 1, 500), snap(TARGET, "s2", 2, 501)); // already received
        scheduler.tick();
        assertEquals(List.of(), plans, "planned next tick, once the view shows s2");

        view.on(new SnapshotRecorded(SOURCE, s2, null, T0), T0);
        scheduler.tick();
        assertEquals(1, plans.size());
        assertEquals(List.of(s1, s2), plans.get(0).sourceSnapshots());
    }

    @Test
    void aTargetSnapshotTheSourceNeverHadIsPlannedSoTheLinkCanSayDiverged() {
        SnapshotInfo s1 = snap(SOURCE, "s1", 1, 10);
        inView(s1);
        reported(SOURCE, s1);
        reported(TARGET, snap(TARGET, "s1", 1, 500), snap(TARGET, "own", 9, 501));
        scheduler.tick();
        assertEquals(1, plans.size());
        assertTrue(plans.get(0).targetSnapshots().stream().anyMatch(t -> t.guid().equals(new Guid(9))));
    }
}
