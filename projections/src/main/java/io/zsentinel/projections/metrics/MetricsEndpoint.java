package io.zsentinel.projections.metrics;

import io.zsentinel.failover.detect.Liveness;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.fleet.PoolRow;
import io.zsentinel.projections.fleet.ServerRow;
import io.zsentinel.projections.inventory.DatasetSummary;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.link.LinkRow;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.projections.link.RetentionHeldBack;
import io.zsentinel.projections.link.RetentionHolds;
import io.zsentinel.projections.web.ApiHandler;
import io.zsentinel.projections.web.ApiRequest;
import io.zsentinel.projections.web.ApiResponse;
import io.zsentinel.replication.api.link.LinkState;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * {@code GET /metrics}: links, servers, pools and datasets as Prometheus gauges, read from the views
 * at scrape time. A value that does not exist yet (never succeeded, not failing, nothing replicated)
 * is NaN, so every link keeps all its series and comparisons in alert rules are simply false.
 */
public final class MetricsEndpoint implements ApiHandler {
    private final ReplicationLinkView links;
    private final FleetView fleet;
    private final SnapshotInventoryView inventory;
    private final RetentionHolds holds;
    private final List<Consumer<PrometheusText>> more = new CopyOnWriteArrayList<>();

    public MetricsEndpoint(ReplicationLinkView links, FleetView fleet, SnapshotInventoryView inventory) {
        this(links, fleet, inventory, new RetentionHolds(inventory, links));
    }

    public MetricsEndpoint(ReplicationLinkView links, FleetView fleet, SnapshotInventoryView inventory,
                           RetentionHolds holds) {
        this.links = links;
        this.fleet = fleet;
        this.inventory = inventory;
        this.holds = holds;
    }

    /** Adds families written after the views' at every scrape (e.g. {@link ConsumerLoopMetrics}). */
    public MetricsEndpoint also(Consumer<PrometheusText> families) {
        more.add(families);
        return this;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        return new ApiResponse(200, PrometheusText.CONTENT_TYPE, text().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The whole exposition, one scrape's worth. */
    public String text() {
        PrometheusText out = new PrometheusText();
        writeLinks(out, links.links());
        writeFleet(out, fleet.servers());
        writeDatasets(out, inventory.datasets());
        writeHeldBack(out, holds.all());
        more.forEach(m -> m.accept(out));
        return out.toString();
    }

    private static void writeLinks(PrometheusText out, List<LinkRow> rows) {
        linkGauge(out, rows, "zsentinel_replication_last_success_timestamp_seconds",
                "When the link's last transfer succeeded (NaN: never).",
                r -> PrometheusText.seconds(r.lastSuccessAt()));
        linkGauge(out, rows, "zsentinel_replication_lag_seconds",
                "Age of the common base while the source has newer snapshots: data a failover would lose "
                        + "(NaN: nothing replicated yet).",
                r -> r.lagSeconds() == null ? Double.NaN : r.lagSeconds());
        out.gauge("zsentinel_replication_state", "1 for the link's current state, 0 for the others.");
        for (LinkRow r : rows) {
            for (LinkState state : LinkState.values()) {
                Map<String, String> labels = linkLabels(r);
                labels.put("state", state.label());
                out.sample("zsentinel_replication_state", labels, state == r.linkState() ? 1 : 0);
            }
        }
        linkGauge(out, rows, "zsentinel_replication_consecutive_failures",
                "Failed transfers since the last success.", LinkRow::consecutiveFailures);
        linkGauge(out, rows, "zsentinel_replication_failing_since_timestamp_seconds",
                "When the first of the consecutive failures happened (NaN: not failing).",
                r -> PrometheusText.seconds(r.failingSince()));
    }

    private static void linkGauge(PrometheusText out, List<LinkRow> rows, String name, String help,
                                  ToDoubleFunction<LinkRow> value) {
        out.gauge(name, help);
        rows.forEach(r -> out.sample(name, linkLabels(r), value.applyAsDouble(r)));
    }

    private static Map<String, String> linkLabels(LinkRow r) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("link", r.id());
        labels.put("source", r.source().server() + ":" + r.source().dataset());
        labels.put("target", r.target().server() + ":" + r.target().dataset());
        return labels;
    }

    private static void writeFleet(PrometheusText out, List<ServerRow> servers) {
        out.gauge("zsentinel_server_up", "1 while the server's heartbeats arrive in time, else 0.");
        servers.forEach(s -> out.sample("zsentinel_server_up", Map.of("server", s.server().value()),
                s.status() == Liveness.UP ? 1 : 0));
        out.gauge("zsentinel_pool_capacity_percent", "How full the pool is, as zpool reports it.");
        servers.forEach(s -> s.pools().forEach(p ->
                out.sample("zsentinel_pool_capacity_percent", poolLabels(s, p), p.capacityPercent())));
        out.gauge("zsentinel_pool_healthy", "1 while the pool is ONLINE, else 0.");
        servers.forEach(s -> s.pools().forEach(p ->
                out.sample("zsentinel_pool_healthy", poolLabels(s, p), p.health().healthy() ? 1 : 0)));
    }

    private static Map<String, String> poolLabels(ServerRow s, PoolRow p) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("server", s.server().value());
        labels.put("pool", p.pool().value());
        return labels;
    }

    /** Only links holding something back have series: an absent series means nothing is held. */
    private static void writeHeldBack(PrometheusText out, List<RetentionHeldBack> held) {
        heldGauge(out, held, "zsentinel_retention_held_snapshots",
                "Expired snapshots of the dataset kept because the link's target has not received them.",
                RetentionHeldBack::snapshots);
        heldGauge(out, held, "zsentinel_retention_held_bytes",
                "Bytes used by the snapshots the link holds back (each snapshot's own, unshared blocks).",
                RetentionHeldBack::bytes);
        heldGauge(out, held, "zsentinel_retention_held_since_timestamp_seconds",
                "When the link began holding back the dataset's retention.", h -> PrometheusText.seconds(h.since()));
        heldGauge(out, held, "zsentinel_retention_held_limit_snapshots",
                "maxHeldForReplicas of the dataset's policy: past it the oldest held snapshots are pruned anyway.",
                RetentionHeldBack::limit);
    }

    private static void heldGauge(PrometheusText out, List<RetentionHeldBack> held, String name, String help,
                                  ToDoubleFunction<RetentionHeldBack> value) {
        out.gauge(name, help);
        for (RetentionHeldBack h : held) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("server", h.server());
            labels.put("dataset", h.dataset());
            labels.put("link", h.link());
            out.sample(name, labels, value.applyAsDouble(h));
        }
    }

    private static void writeDatasets(PrometheusText out, List<DatasetSummary> datasets) {
        out.gauge("zsentinel_dataset_snapshots", "Snapshots of the dataset on the server.");
        for (DatasetSummary d : datasets) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("server", d.server().value());
            labels.put("dataset", d.dataset().value());
            out.sample("zsentinel_dataset_snapshots", labels, d.snapshotCount());
        }
    }
}
