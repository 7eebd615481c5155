package io.zsentinel.projections.metrics;

import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.ServerRegistered;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.LinkState;
import io.zsentinel.replication.api.link.LinkStateChanged;
import io.zsentinel.replication.api.link.ReplicationFailed;
import io.zsentinel.replication.api.link.ReplicationLinkEstablished;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.api.link.ReplicationSucceeded;
import io.zsentinel.replication.api.link.SnapshotRef;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.projections.web.ApiRequest;
import io.zsentinel.projections.web.ApiResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.zsentinel.projections.Events.A;
import static io.zsentinel.projections.Events.A_VM1;
import static io.zsentinel.projections.Events.B;
import static io.zsentinel.projections.Events.T0;
import static io.zsentinel.projections.Events.pool;
import static io.zsentinel.projections.Events.recorded;
import static io.zsentinel.projections.Events.registered;
import static io.zsentinel.projections.metrics.Exposition.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exposition for a small fixture, sample for sample (labels in any order, numbers as the registry writes them). */
class MetricsEndpointTest {
    private static final Clock NOW = Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC);

    @Test
    void oneLinkOneServerOneDatasetExactly() {
        // T0 = 2025-03-01T10:00:00Z = 1740823200
        LinkId ok = new LinkId(A_VM1, new DatasetId(B, DatasetName.of("backup/vm1")));
        ReplicationLinkView links = new ReplicationLinkView(NOW);
        SnapshotRef s1 = new SnapshotRef(A_VM1.dataset().snapshot("s1"), new Guid(7), T0.plusMillis(1500));
        UUID t1 = UUID.nameUUIDFromBytes(new byte[] {1});
        UUID t2 = UUID.nameUUIDFromBytes(new byte[] {2});
        long seq = 0;
        links.on(new ReplicationLinkEstablished(ok, ok.source(), ok.target(), Duration.ofMinutes(15),
                LinkPolicy.defaults(), T0), seq++);
        links.on(new ReplicationScheduled(ok, t1, null, s1, false, null, false, 1, T0.plusSeconds(10)), seq++);
        links.on(new LinkStateChanged(ok, LinkState.LAGGING, LinkState.TRANSFERRING, T0.plusSeconds(10)), seq++);
        links.on(new ReplicationSucceeded(ok, t1, s1, 100, T0.plusSeconds(20)), seq++);
        links.on(new LinkStateChanged(ok, LinkState.TRANSFERRING, LinkState.IN_SYNC, T0.plusSeconds(20)), seq++);
        links.on(new ReplicationScheduled(ok, t2, s1, s1, false, null, false, 1, T0.plusSeconds(1000)), seq++);
        links.on(new LinkStateChanged(ok, LinkState.IN_SYNC, LinkState.TRANSFERRING, T0.plusSeconds(1000)), seq++);
        links.on(new ReplicationFailed(ok, t2, "boom", null, 1, T0.plusSeconds(1010), T0.plusSeconds(1000)), seq++);
        links.on(new LinkStateChanged(ok, LinkState.TRANSFERRING, LinkState.FAILING, T0.plusSeconds(1000)), seq);

        FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
        FleetView fleet = new FleetView(NOW, detector);
        fleet.on(new ServerRegistered(A, T0));
        fleet.on(pool(A, "primary", PoolHealth.DEGRADED, 81, T0));
        detector.heartbeat(A, T0.plusSeconds(3595));
        detector.heartbeat(B, T0);
        SnapshotInventoryView inventory = new SnapshotInventoryView();
        inventory.on(registered(A_VM1), T0);
        inventory.on(recorded(A_VM1, "s1", 1, false), T0);

        String[] l = {"link", "store-a:primary/vm1->store-b:backup/vm1", "source", "store-a:primary/vm1",
                "target", "store-b:backup/vm1"};
        Map<String, Double> expected = new TreeMap<>();
        expected.put(series("zsentinel_replication_last_success_timestamp_seconds", l), 1740823220.0);
        expected.put(series("zsentinel_replication_lag_seconds", l), 3598.0);
        for (LinkState state : LinkState.values()) {
            expected.put(series("zsentinel_replication_state", with(l, "state", state.label())),
                    state == LinkState.FAILING ? 1.0 : 0.0);
        }
        expected.put(series("zsentinel_replication_consecutive_failures", l), 1.0);
        expected.put(series("zsentinel_replication_failing_since_timestamp_seconds", l), 1740824200.0);
        expected.put(series("zsentinel_server_up", "server", "store-a"), 1.0);
        expected.put(series("zsentinel_server_up", "server", "store-b"), 0.0);
        expected.put(series("zsentinel_pool_capacity_percent", "server", "store-a", "pool", "primary"), 81.0);
        expected.put(series("zsentinel_pool_healthy", "server", "store-a", "pool", "primary"), 0.0);
        expected.put(series("zsentinel_dataset_snapshots", "server", "store-a", "dataset", "primary/vm1"), 1.0);
        MetricsEndpoint metrics = new MetricsEndpoint(links, fleet, inventory);
        Exposition text = Exposition.parse(metrics.text());
        assertEquals(expected, text.samples());
        assertEquals("When the link's last transfer succeeded (NaN: never).",
                text.help().get("zsentinel_replication_last_success_timestamp_seconds"));
        assertEquals("Age of the common base while the source has newer snapshots: data a failover would lose "
                + "(NaN: nothing replicated yet).", text.help().get("zsentinel_replication_lag_seconds"));
        assertEquals("1 while the server's heartbeats arrive in time, else 0.", text.help().get("zsentinel_server_up"));
        assertEquals("How full the pool is, as zpool reports it.", text.help().get("zsentinel_pool_capacity_percent"));
        text.types().values().forEach(type -> assertEquals("gauge", type));

        ApiResponse response = metrics.handle(new ApiRequest("GET", "/metrics", Map.of(), Map.of()));
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.contentType());
        assertEquals(expected, Exposition.parse(new String((byte[]) response.body(), StandardCharsets.UTF_8)).samples());
    }

    @Test
    void aSeriesGoesWithItsRow() {
        FleetView fleet = new FleetView(NOW, new FailureDetector(DetectorSettings.DEFAULTS));
        fleet.on(new ServerRegistered(A, T0));
        fleet.on(pool(A, "primary", PoolHealth.ONLINE, 10, T0));
        MetricsEndpoint metrics = new MetricsEndpoint(new ReplicationLinkView(NOW), fleet, new SnapshotInventoryView());
        assertEquals(10.0, Exposition.parse(metrics.text()).value("zsentinel_pool_capacity_percent",
                "server", "store-a", "pool", "primary"));
        fleet.on(pool(A, "primary", PoolHealth.ONLINE, 55, T0.plusSeconds(1)));
        assertEquals(55.0, Exposition.parse(metrics.text()).value("zsentinel_pool_capacity_percent",
                "server", "store-a", "pool", "primary"), "a scrape reads the view as it is now");
    }

    @Test
    void aLinkNeverReplicatedHasNaNWhereThereIsNoValueYet() {
        LinkId link = new LinkId(A_VM1, new DatasetId(ServerId.of("store-c"), DatasetName.of("dr/vm1")));
        ReplicationLinkView links = new ReplicationLinkView(NOW);
        links.on(new ReplicationLinkEstablished(link, link.source(), link.target(), Duration.ofMinutes(15),
                LinkPolicy.defaults(), T0), 0L);
        Exposition text = Exposition.parse(new MetricsEndpoint(links, new FleetView(NOW, new FailureDetector(DetectorSettings.DEFAULTS)),
                new SnapshotInventoryView()).text());
        String[] l = {"link", "store-a:primary/vm1->store-c:dr/vm1", "source", "store-a:primary/vm1",
                "target", "store-c:dr/vm1"};
        assertTrue(Double.isNaN(text.value("zsentinel_replication_last_success_timestamp_seconds", l)));
        assertTrue(Double.isNaN(text.value("zsentinel_replication_lag_seconds", l)));
        assertTrue(Double.isNaN(text.value("zsentinel_replication_failing_since_timestamp_seconds", l)));
        assertEquals(0.0, text.value("zsentinel_replication_consecutive_failures", l));
    }

    @Test
    void secondsKeepTheirMillisecondsAndNeverIsNaN() {
        assertEquals(1740823200.5, MetricsEndpoint.seconds(T0.plusMillis(500)));
        assertTrue(Double.isNaN(MetricsEndpoint.seconds(null)));
    }

    private static String[] with(String[] labels, String name, String value) {
        String[] more = Arrays.copyOf(labels, labels.length + 2);
        more[labels.length] = name;
        more[labels.length + 1] = value;
        return more;
    }
}
