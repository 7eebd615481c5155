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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.zsentinel.projections.Events.A;
import static io.zsentinel.projections.Events.A_VM1;
import static io.zsentinel.projections.Events.B;
import static io.zsentinel.projections.Events.T0;
import static io.zsentinel.projections.Events.pool;
import static io.zsentinel.projections.Events.recorded;
import static io.zsentinel.projections.Events.registered;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The exposition for a small fixture, line for line. */
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

        String l = "{link=\"store-a:primary/vm1->store-b:backup/vm1\",source=\"store-a:primary/vm1\",target=\"store-b:backup/vm1\"";
        String expected = String.join("\n",
                "# HELP zsentinel_replication_last_success_timestamp_seconds When the link's last transfer succeeded (NaN: never).",
                "# TYPE zsentinel_replication_last_success_timestamp_seconds gauge",
                "zsentinel_replication_last_success_timestamp_seconds" + l + "} 1740823220",
                "# HELP zsentinel_replication_lag_seconds Age of the common base while the source has newer snapshots: "
                        + "data a failover would lose (NaN: nothing replicated yet).",
                "# TYPE zsentinel_replication_lag_seconds gauge",
                "zsentinel_replication_lag_seconds" + l + "} 3598",
                "# HELP zsentinel_replication_state 1 for the link's current state, 0 for the others.",
                "# TYPE zsentinel_replication_state gauge",
                "zsentinel_replication_state" + l + ",state=\"in-sync\"} 0",
                "zsentinel_replication_state" + l + ",state=\"lagging\"} 0",
                "zsentinel_replication_state" + l + ",state=\"transferring\"} 0",
                "zsentinel_replication_state" + l + ",state=\"failing\"} 1",
                "zsentinel_replication_state" + l + ",state=\"diverged\"} 0",
                "zsentinel_replication_state" + l + ",state=\"paused\"} 0",
                "# HELP zsentinel_replication_consecutive_failures Failed transfers since the last success.",
                "# TYPE zsentinel_replication_consecutive_failures gauge",
                "zsentinel_replication_consecutive_failures" + l + "} 1",
                "# HELP zsentinel_replication_failing_since_timestamp_seconds When the first of the consecutive "
                        + "failures happened (NaN: not failing).",
                "# TYPE zsentinel_replication_failing_since_timestamp_seconds gauge",
                "zsentinel_replication_failing_since_timestamp_seconds" + l + "} 1740824200",
                "# HELP zsentinel_server_up 1 while the server's heartbeats arrive in time, else 0.",
                "# TYPE zsentinel_server_up gauge",
                "zsentinel_server_up{server=\"store-a\"} 1",
                "zsentinel_server_up{server=\"store-b\"} 0",
                "# HELP zsentinel_pool_capacity_percent How full the pool is, as zpool reports it.",
                "# TYPE zsentinel_pool_capacity_percent gauge",
                "zsentinel_pool_capacity_percent{server=\"store-a\",pool=\"primary\"} 81",
                "# HELP zsentinel_pool_healthy 1 while the pool is ONLINE, else 0.",
                "# TYPE zsentinel_pool_healthy gauge",
                "zsentinel_pool_healthy{server=\"store-a\",pool=\"primary\"} 0",
                "# HELP zsentinel_dataset_snapshots Snapshots of the dataset on the server.",
                "# TYPE zsentinel_dataset_snapshots gauge",
                "zsentinel_dataset_snapshots{server=\"store-a\",dataset=\"primary/vm1\"} 1",
                "# HELP zsentinel_retention_held_snapshots Expired snapshots of the dataset kept because the link's"
                        + " target has not received them.",
                "# TYPE zsentinel_retention_held_snapshots gauge",
                "# HELP zsentinel_retention_held_bytes Bytes used by the snapshots the link holds back (each"
                        + " snapshot's own, unshared blocks).",
                "# TYPE zsentinel_retention_held_bytes gauge",
                "# HELP zsentinel_retention_held_since_timestamp_seconds When the link began holding back the"
                        + " dataset's retention.",
                "# TYPE zsentinel_retention_held_since_timestamp_seconds gauge",
                "# HELP zsentinel_retention_held_limit_snapshots maxHeldForReplicas of the dataset's policy: past it"
                        + " the oldest held snapshots are pruned anyway.",
                "# TYPE zsentinel_retention_held_limit_snapshots gauge",
                "");
        MetricsEndpoint metrics = new MetricsEndpoint(links, fleet, inventory);
        assertEquals(expected, metrics.text());

        ApiResponse response = metrics.handle(new ApiRequest("GET", "/metrics", Map.of(), Map.of()));
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.contentType());
        assertEquals(expected, new String((byte[]) response.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aLinkNeverReplicatedHasNaNWhereThereIsNoValueYet() {
        LinkId link = new LinkId(A_VM1, new DatasetId(ServerId.of("store-c"), DatasetName.of("dr/vm1")));
        ReplicationLinkView links = new ReplicationLinkView(NOW);
        links.on(new ReplicationLinkEstablished(link, link.source(), link.target(), Duration.ofMinutes(15),
                LinkPolicy.defaults(), T0), 0L);
        String text = new MetricsEndpoint(links, new FleetView(NOW, new FailureDetector(DetectorSettings.DEFAULTS)), new SnapshotInventoryView())
                .text();
        String l = "{link=\"store-a:primary/vm1->store-c:dr/vm1\",source=\"store-a:primary/vm1\",target=\"store-c:dr/vm1\"}";
        assertContains(text, "zsentinel_replication_last_success_timestamp_seconds" + l + " NaN\n");
        assertContains(text, "zsentinel_replication_lag_seconds" + l + " NaN\n");
        assertContains(text, "zsentinel_replication_failing_since_timestamp_seconds" + l + " NaN\n");
        assertContains(text, "zsentinel_replication_consecutive_failures" + l + " 0\n");
        assertContains(text, "# TYPE zsentinel_server_up gauge\n# HELP zsentinel_pool_capacity_percent");
    }

    @Test
    void labelValuesEscapeBackslashQuoteAndNewline() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("reason", "say \"no\"\\ then\nstop");
        String text = new PrometheusText().gauge("x", "help with \\ and\nnewline").sample("x", labels, 0.25).toString();
        assertEquals("# HELP x help with \\\\ and\\nnewline\n# TYPE x gauge\n"
                + "x{reason=\"say \\\"no\\\"\\\\ then\\nstop\"} 0.25\n", text);
    }

    @Test
    void numbersAreWrittenAsThePrometheusParserReadsThem() {
        assertEquals("NaN", PrometheusText.number(Double.NaN));
        assertEquals("+Inf", PrometheusText.number(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", PrometheusText.number(Double.NEGATIVE_INFINITY));
        assertEquals("1740823200", PrometheusText.number(1740823200.0));
        assertEquals("1740823200.5", PrometheusText.number(PrometheusText.seconds(T0.plusMillis(500))));
        assertEquals("-3", PrometheusText.number(-3));
    }

    private static void assertContains(String text, String part) {
        if (!text.contains(part)) {
            throw new AssertionError("expected\n" + part + "\nin\n" + text);
        }
    }
}
