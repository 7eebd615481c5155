package io.zsentinel.deploy.failover;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetGlob;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.CommonSnapshot;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.choose.Candidate;
import io.zsentinel.failover.choose.FailoverSituation;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.failover.detect.Health;
import io.zsentinel.failover.service.ServiceDefinition;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.LinkId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The situation of a failover, read from the detector, the inventory and the links. */
class SituationsTest {
    static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
    static final ServerId PRIMARY = ServerId.of("primary");
    static final ServerId STANDBY = ServerId.of("standby");
    static final ServerId SECOND = ServerId.of("second");
    static final DatasetName VM1 = DatasetName.of("primary/vm1");
    static final DatasetName VM2 = DatasetName.of("primary/vm2");
    static final DatasetName DB = DatasetName.of("primary/db");
    static final DatasetName COPY1 = DatasetName.of("standby/vm1");
    static final DatasetName COPY2 = DatasetName.of("standby/vm2");
    static final ServiceDefinition SERVICE = new ServiceDefinition(ServiceName.of("vm"), DatasetGlob.of("primary/vm*"),
            PRIMARY, List.of(STANDBY, SECOND), Duration.ofMinutes(15), null, null, null);

    final FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
    final Map<DatasetId, List<SnapshotInfo>> inventory = new HashMap<>();
    final List<LinkId> links = List.of(
            new LinkId(new DatasetId(PRIMARY, VM1), new DatasetId(STANDBY, COPY1)),
            new LinkId(new DatasetId(PRIMARY, VM2), new DatasetId(STANDBY, COPY2)));
    final Situations situations = new Situations(detector, () -> List.copyOf(inventory.keySet()),
            id -> inventory.getOrDefault(id, List.of()), () -> links);

    static SnapshotInfo snap(DatasetName dataset, String name, long guid, long txg) {
        return new SnapshotInfo(dataset.snapshot(name), new Guid(guid), txg, T0.plusSeconds(txg), 1, 1);
    }

    @Test
    void eachStandbysNewestCommonSnapshotIsMatchedByGuidOnItsCopy() {
        inventory.put(new DatasetId(PRIMARY, VM1), List.of(snap(VM1, "a", 1, 10), snap(VM1, "b", 2, 20), snap(VM1, "c", 3, 30)));
        inventory.put(new DatasetId(PRIMARY, VM2), List.of(snap(VM2, "a", 11, 10)));
        inventory.put(new DatasetId(PRIMARY, DB), List.of(snap(DB, "a", 21, 10)));
        inventory.put(new DatasetId(STANDBY, COPY1), List.of(snap(COPY1, "a", 1, 5), snap(COPY1, "b", 2, 6)));
        inventory.put(new DatasetId(STANDBY, COPY2), List.of(snap(COPY2, "a", 11, 5)));
        detector.heartbeat(PRIMARY, T0);
        detector.heartbeat(STANDBY, T0.plusSeconds(59));
        detector.poolReported(PRIMARY, PoolName.of("primary"), PoolHealth.FAULTED, T0);

        FailoverSituation s = situations.of(SERVICE, PRIMARY, null, T0.plusSeconds(60));

        assertEquals(Set.of(VM1, VM2), s.datasets(), "the service's datasets on the primary, not db");
        assertEquals(Health.FAILED, s.primaryHealth());
        Candidate standby = s.candidate(STANDBY);
        assertEquals(Health.HEALTHY, standby.health());
        assertEquals(Map.of(VM1, new CommonSnapshot(VM1, VM1.snapshot("b"), new Guid(2), T0.plusSeconds(20)),
                VM2, new CommonSnapshot(VM2, VM2.snapshot("a"), new Guid(11), T0.plusSeconds(10))), standby.commonSnapshots());
        assertEquals(COPY1, standby.copyOf(VM1));
        Candidate second = s.candidate(SECOND);
        assertEquals(Map.of(), second.commonSnapshots(), "no copy on a standby never replicated to");
        assertEquals(Health.UNKNOWN, second.health(), "never heard");
    }

    /** After a failover and a rejoin: the standby serves its copies, and the configured primary is a candidate. */
    @Test
    void awayFromAStandbyThatServesItsCopiesAreTheServicesDatasetsAndTheConfiguredPrimaryACandidate() {
        inventory.put(new DatasetId(STANDBY, COPY1), List.of(snap(COPY1, "a", 1, 5), snap(COPY1, "after", 4, 9)));
        inventory.put(new DatasetId(STANDBY, DatasetName.of("standby/other")), List.of(snap(COPY1, "a", 9, 5)));
        inventory.put(new DatasetId(PRIMARY, VM1), List.of(snap(VM1, "a", 1, 10), snap(VM1, "after", 4, 30)));
        detector.heartbeat(PRIMARY, T0.plusSeconds(59));
        detector.heartbeat(STANDBY, T0.plusSeconds(59));
        // the new primary's link back to the rejoined one, beside the first link (paused since the failover)
        Situations relinked = new Situations(detector, () -> List.copyOf(inventory.keySet()),
                id -> inventory.getOrDefault(id, List.of()), () -> List.of(links.get(0),
                new LinkId(new DatasetId(STANDBY, COPY1), new DatasetId(PRIMARY, VM1))));

        FailoverSituation s = relinked.of(SERVICE, STANDBY, null, T0.plusSeconds(60));

        assertEquals(Set.of(COPY1), s.datasets(), "the copy of primary/vm1, not a dataset no link ties to the service");
        Candidate back = s.candidate(PRIMARY);
        assertEquals(Health.HEALTHY, back.health());
        assertEquals(VM1, back.copyOf(COPY1));
        assertEquals(Map.of(COPY1, new CommonSnapshot(COPY1, COPY1.snapshot("after"), new Guid(4), T0.plusSeconds(9))),
                back.commonSnapshots());
    }

    @Test
    void theLeaseLapsesItsLengthAndMarginAfterTheLastHeartbeat() {
        detector.heartbeat(PRIMARY, T0);
        assertEquals(T0.plusSeconds(15), situations.leaseLapsesAt(PRIMARY, Duration.ofSeconds(15), T0.plusSeconds(9)));
        assertEquals(T0.plusSeconds(75), situations.leaseLapsesAt(STANDBY, Duration.ofSeconds(15), T0.plusSeconds(60)),
                "never heard: from now");
    }
}
