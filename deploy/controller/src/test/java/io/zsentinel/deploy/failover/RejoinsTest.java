package io.zsentinel.deploy.failover;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.deploy.replication.FailoverLinks;
import io.zsentinel.deploy.replication.ServiceSwitches;
import io.zsentinel.failover.api.BeginRejoin;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.RejoinCompleted;
import io.zsentinel.failover.api.RejoinPlan;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.service.ServiceRow;
import io.zsentinel.replication.api.DatasetId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a rejoin finds, from the views: the services a switch took from the server, its datasets' copies on the new
 * primary, the newest common snapshot by guid, what lies after it, and whether it was rejoined already.
 */
class RejoinsTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final ServerId PRIMARY = ServerId.of("primary");
    static final ServerId STANDBY = ServerId.of("standby");
    static final ServiceName VM = ServiceName.of("vm");
    static final DatasetId P_VM1 = new DatasetId(PRIMARY, DatasetName.of("primary/vm1"));
    static final DatasetId S_VM1 = new DatasetId(STANDBY, DatasetName.of("standby/vm1"));
    static final OperatorOrder BY = new OperatorOrder("alice@ops", "repaired");

    final ServiceSwitches switches = new ServiceSwitches();
    final Map<DatasetId, List<SnapshotInfo>> snapshots = new HashMap<>();
    final FailureDetector detector = new FailureDetector(new DetectorSettings(Duration.ofSeconds(8)));

    Rejoins rejoins(ServiceRow row) {
        FailoverLinks links = FailoverLinks.of(new ReplicationConfig(null, List.of(new LinkRule("primary/vm*", "primary",
                "standby", "standby", "10s", null))), switches);
        return new Rejoins(() -> List.of(row), switches, links, detector, id -> snapshots.getOrDefault(id, List.of()));
    }

    static ServiceRow served(ServerId by, long generation) {
        return new ServiceRow(VM, by, List.of(STANDBY), generation, ServiceRow.BLOCKED, "failover", null, null, null,
                null);
    }

    static SnapshotInfo snap(DatasetId on, String name, long guid, long txg, long referenced) {
        return new SnapshotInfo(on.dataset().snapshot(name), Guid.parse(Long.toString(guid)), txg,
                T0.plusSeconds(txg), 0, referenced);
    }

    /** A failover at generation 2 took vm1 from the primary to the standby. */
    void switchedAway() {
        switches.on(new ServiceSwitched(VM, new FailoverId(new UUID(0, 2)), PRIMARY, STANDBY, 2,
                List.of(P_VM1.dataset()), T0));
    }

    @Test
    void aFormerPrimaryIsPlannedFromTheNewestCommonSnapshotByGuidWithWhatLiesAfterIt() {
        switchedAway();
        snapshots.put(P_VM1, List.of(snap(P_VM1, "s1", 11, 1, 100), snap(P_VM1, "s2", 22, 2, 200),
                snap(P_VM1, "s3", 33, 3, 1_000)));
        snapshots.put(S_VM1, List.of(snap(S_VM1, "s1", 11, 5, 100), snap(S_VM1, "s2", 22, 6, 200),
                snap(S_VM1, "after", 44, 7, 300)));
        detector.heartbeat(PRIMARY, T0.plusSeconds(60));

        List<Rejoins.Planned> planned = rejoins(served(STANDBY, 2)).of(PRIMARY, BY, T0.plusSeconds(61));

        assertEquals(1, planned.size());
        assertFalse(planned.get(0).rejoinedAlready());
        BeginRejoin begin = planned.get(0).begin();
        assertEquals(STANDBY, begin.newPrimary());
        assertEquals(2, begin.generation());
        assertEquals("healthy", begin.health());
        assertTrue(begin.formerPrimary());
        RejoinPlan plan = begin.datasets().get(0);
        assertEquals(S_VM1.dataset(), plan.copy(), "the copy is the target of the link to the new primary");
        assertEquals("s2", plan.common().snapshot().shortName(), "the newest snapshot both hold by guid");
        assertEquals(List.of("s3"), plan.after());
        assertEquals(800L, plan.bytesAfter(), "net growth of referenced from s2 to s3");
        assertTrue(plan.keepsDivergence());
    }

    @Test
    void aSwitchoverRejoinsOneServiceQuietlyKeepingNothingAside() {
        switchedAway();
        snapshots.put(P_VM1, List.of(snap(P_VM1, "final", 11, 1, 100)));
        snapshots.put(S_VM1, List.of(snap(S_VM1, "final", 11, 5, 100)));
        RejoinPlan plan = rejoins(served(STANDBY, 2)).of(PRIMARY, VM, true, BY, T0).orElseThrow().begin().datasets()
                .get(0);
        assertEquals("final", plan.common().snapshot().shortName());
        assertFalse(plan.keepsDivergence(), "read-only since its final snapshot: nothing to keep");
        assertTrue(rejoins(served(STANDBY, 2)).of(PRIMARY, ServiceName.of("other"), true, BY, T0).isEmpty());
    }

    @Test
    void noCommonSnapshotIsPlannedWithoutOneAndARejoinedServerIsSaidSo() {
        switchedAway();
        snapshots.put(P_VM1, List.of(snap(P_VM1, "s1", 11, 1, 100)));
        snapshots.put(S_VM1, List.of(snap(S_VM1, "other", 99, 1, 100)));
        Rejoins.Planned planned = rejoins(served(STANDBY, 2)).of(PRIMARY, BY, T0).get(0);
        assertNull(planned.begin().datasets().get(0).common());
        assertEquals("unknown", planned.begin().health(), "never heard since the start");

        switches.on(new RejoinCompleted(VM, PRIMARY, STANDBY, 2, List.of(), T0.plusSeconds(5)));
        assertTrue(rejoins(served(STANDBY, 2)).of(PRIMARY, BY, T0).get(0).rejoinedAlready());
        assertEquals(List.of(), rejoins(served(STANDBY, 2)).of(STANDBY, BY, T0), "no switch took anything from it");
    }
}
