package io.zsentinel.projections.web;

import io.zsentinel.projections.audit.AuditView;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.projections.link.RetentionHeldBack;
import io.zsentinel.projections.link.RetentionHolds;
import io.zsentinel.projections.metrics.MetricsEndpoint;
import io.zsentinel.replication.api.link.LinkId;

import java.util.List;
import java.util.function.Supplier;

/** The standard route table; callers may add routes to the returned table before starting the server. */
public final class ZsentinelApi {
    private ZsentinelApi() {
    }

    public static Routes routes(SnapshotInventoryView inventory, FleetView fleet, HealthEndpoint health) {
        return routes(inventory, fleet, health, List::of);
    }

    private static Routes routes(SnapshotInventoryView inventory, FleetView fleet, HealthEndpoint health,
                                 Supplier<List<RetentionHeldBack>> heldBack) {
        Routes routes = new Routes();
        routes.get("/health", health);
        new InventoryRoutes(inventory, heldBack).addTo(routes);
        new FleetRoutes(fleet).addTo(routes);
        new DashboardPage().addTo(routes);
        return routes;
    }

    /** The standard table plus the audit log and operations ({@code /api/audit}, {@code /api/operations}). */
    public static Routes routes(SnapshotInventoryView inventory, FleetView fleet, AuditView audit,
                                HealthEndpoint health) {
        Routes routes = routes(inventory, fleet, health);
        new AuditRoutes(audit).addTo(routes);
        return routes;
    }

    /**
     * Everything above plus replication links ({@code /api/replication/links}) and Prometheus
     * metrics ({@code GET /metrics}).
     */
    public static Routes routes(SnapshotInventoryView inventory, FleetView fleet, AuditView audit,
                                ReplicationLinkView links, HealthEndpoint health) {
        RetentionHolds holds = new RetentionHolds(inventory, links);
        return routes(inventory, fleet, audit, links, health, holds, new MetricsEndpoint(links, fleet, inventory, holds));
    }

    /**
     * As above, with what links hold back of retention read by {@code holds} (e.g. with the agents' fresh sizes)
     * and a metrics endpoint the caller made (e.g. with more families added).
     */
    public static Routes routes(SnapshotInventoryView inventory, FleetView fleet, AuditView audit,
                                ReplicationLinkView links, HealthEndpoint health, RetentionHolds holds,
                                MetricsEndpoint metrics) {
        Routes routes = routes(inventory, fleet, health, holds::all);
        new AuditRoutes(audit).addTo(routes);
        new ReplicationRoutes(links, holds).addTo(routes);
        routes.get("/metrics", metrics);
        return routes;
    }

    /** Parses a link id from a path segment, refusing a malformed one with a 400 that shows the format. */
    public static LinkId linkId(String text) {
        return ReplicationRoutes.linkId(text);
    }
}
