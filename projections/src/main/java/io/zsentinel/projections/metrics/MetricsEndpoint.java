package io.zsentinel.projections.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * {@code GET /metrics}: links, servers, pools and datasets as Prometheus gauges, read from the views
 * at scrape time, beside whatever else is bound to the same Micrometer registry (JVM, Kafka clients,
 * Axon processors). A value that does not exist yet (never succeeded, not failing, nothing replicated)
 * is NaN, so every link keeps all its series and comparisons in alert rules are simply false.
 */
public final class MetricsEndpoint implements ApiHandler {
    /** The Prometheus text format 0.0.4, as {@link PrometheusMeterRegistry#scrape()} writes it. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ReplicationLinkView links;
    private final FleetView fleet;
    private final SnapshotInventoryView inventory;
    private final RetentionHolds holds;
    private final PrometheusMeterRegistry registry;
    private final List<ScrapeUpdate> more = new CopyOnWriteArrayList<>();

    private final ScrapedFamily<LinkRow> lastSuccess = linkGauge("zsentinel_replication_last_success_timestamp_seconds",
            "When the link's last transfer succeeded (NaN: never).", r -> seconds(r.lastSuccessAt()));
    private final ScrapedFamily<LinkRow> lag = linkGauge("zsentinel_replication_lag_seconds",
            "Age of the common base while the source has newer snapshots: data a failover would lose "
                    + "(NaN: nothing replicated yet).",
            r -> r.lagSeconds() == null ? Double.NaN : r.lagSeconds());
    private final ScrapedFamily<LinkInState> state = ScrapedFamily.gauge("zsentinel_replication_state",
            "1 for the link's current state, 0 for the others.",
            s -> linkLabels(s.row()).and("state", s.state().label()), s -> s.state() == s.row().linkState() ? 1 : 0);
    private final ScrapedFamily<LinkRow> failures = linkGauge("zsentinel_replication_consecutive_failures",
            "Failed transfers since the last success.", LinkRow::consecutiveFailures);
    private final ScrapedFamily<LinkRow> failingSince = linkGauge("zsentinel_replication_failing_since_timestamp_seconds",
            "When the first of the consecutive failures happened (NaN: not failing).", r -> seconds(r.failingSince()));
    private final ScrapedFamily<ServerRow> serverUp = ScrapedFamily.gauge("zsentinel_server_up",
            "1 while the server's heartbeats arrive in time, else 0.", s -> Tags.of("server", s.server().value()),
            s -> s.status() == Liveness.UP ? 1 : 0);
    private final ScrapedFamily<ServerPool> poolCapacity = ScrapedFamily.gauge("zsentinel_pool_capacity_percent",
            "How full the pool is, as zpool reports it.", ServerPool::labels, p -> p.pool().capacityPercent());
    private final ScrapedFamily<ServerPool> poolHealthy = ScrapedFamily.gauge("zsentinel_pool_healthy",
            "1 while the pool is ONLINE, else 0.", ServerPool::labels, p -> p.pool().health().healthy() ? 1 : 0);
    private final ScrapedFamily<DatasetSummary> datasetSnapshots = ScrapedFamily.gauge("zsentinel_dataset_snapshots",
            "Snapshots of the dataset on the server.",
            d -> Tags.of("server", d.server().value(), "dataset", d.dataset().value()), DatasetSummary::snapshotCount);
    private final ScrapedFamily<RetentionHeldBack> heldSnapshots = heldGauge("zsentinel_retention_held_snapshots",
            "Expired snapshots of the dataset kept because the link's target has not received them.",
            RetentionHeldBack::snapshots);
    private final ScrapedFamily<RetentionHeldBack> heldBytes = heldGauge("zsentinel_retention_held_bytes",
            "Bytes used by the snapshots the link holds back (each snapshot's own, unshared blocks).",
            RetentionHeldBack::bytes);
    private final ScrapedFamily<RetentionHeldBack> heldSince = heldGauge("zsentinel_retention_held_since_timestamp_seconds",
            "When the link began holding back the dataset's retention.", h -> seconds(h.since()));
    private final ScrapedFamily<RetentionHeldBack> heldLimit = heldGauge("zsentinel_retention_held_limit_snapshots",
            "maxHeldForReplicas of the dataset's policy: past it the oldest held snapshots are pruned anyway.",
            RetentionHeldBack::limit);

    public MetricsEndpoint(ReplicationLinkView links, FleetView fleet, SnapshotInventoryView inventory) {
        this(links, fleet, inventory, new RetentionHolds(inventory, links));
    }

    public MetricsEndpoint(ReplicationLinkView links, FleetView fleet, SnapshotInventoryView inventory,
                           RetentionHolds holds) {
        this(links, fleet, inventory, holds, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** As above, on {@code registry}, which the caller may bind more meters to (JVM, Kafka clients, Axon). */
    public MetricsEndpoint(ReplicationLinkView links, FleetView fleet, SnapshotInventoryView inventory,
                           RetentionHolds holds, PrometheusMeterRegistry registry) {
        this.links = links;
        this.fleet = fleet;
        this.inventory = inventory;
        this.holds = holds;
        this.registry = registry;
    }

    /** Adds families read at every scrape, after the views' (e.g. {@link ConsumerLoopMetrics}). */
    public MetricsEndpoint also(ScrapeUpdate families) {
        more.add(families);
        return this;
    }

    /** The registry this endpoint exposes. */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        return new ApiResponse(200, CONTENT_TYPE, text().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The whole exposition, one scrape's worth. */
    public synchronized String text() {
        List<LinkRow> rows = links.links();
        for (ScrapedFamily<LinkRow> family : List.of(lastSuccess, lag, failures, failingSince)) {
            family.update(registry, rows);
        }
        state.update(registry, rows.stream()
                .flatMap(r -> Arrays.stream(LinkState.values()).map(s -> new LinkInState(r, s))).toList());
        List<ServerRow> servers = fleet.servers();
        serverUp.update(registry, servers);
        List<ServerPool> pools = servers.stream().flatMap(s -> s.pools().stream().map(p -> new ServerPool(s, p))).toList();
        poolCapacity.update(registry, pools);
        poolHealthy.update(registry, pools);
        datasetSnapshots.update(registry, inventory.datasets());
        List<RetentionHeldBack> held = holds.all();
        for (ScrapedFamily<RetentionHeldBack> family : List.of(heldSnapshots, heldBytes, heldSince, heldLimit)) {
            family.update(registry, held);
        }
        more.forEach(m -> m.update(registry));
        return registry.scrape();
    }

    /** Seconds since the epoch with millisecond precision; NaN for null ("never"). */
    public static double seconds(Instant at) {
        return at == null ? Double.NaN : at.toEpochMilli() / 1000.0;
    }

    private record LinkInState(LinkRow row, LinkState state) {
    }

    private record ServerPool(ServerRow server, PoolRow pool) {
        Tags labels() {
            return Tags.of("server", server.server().value(), "pool", pool.pool().value());
        }
    }

    private static ScrapedFamily<LinkRow> linkGauge(String name, String help, ToDoubleFunction<LinkRow> value) {
        return ScrapedFamily.gauge(name, help, MetricsEndpoint::linkLabels, value);
    }

    private static Tags linkLabels(LinkRow r) {
        return Tags.of("link", r.id(), "source", r.source().server() + ":" + r.source().dataset(),
                "target", r.target().server() + ":" + r.target().dataset());
    }

    /** Only links holding something back have series: an absent series means nothing is held. */
    private static ScrapedFamily<RetentionHeldBack> heldGauge(String name, String help,
                                                              ToDoubleFunction<RetentionHeldBack> value) {
        Function<RetentionHeldBack, Tags> labels = h -> Tags.of("server", h.server(), "dataset", h.dataset(), "link", h.link());
        return ScrapedFamily.gauge(name, help, labels, value);
    }
}
