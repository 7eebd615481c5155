package io.zsentinel.projections.web;

import io.zsentinel.projections.fleet.FleetView;

/** {@code /api/servers}. */
final class FleetRoutes {
    private final FleetView fleet;

    FleetRoutes(FleetView fleet) {
        this.fleet = fleet;
    }

    void addTo(Routes routes) {
        routes.get("/api/servers", request -> ApiResponse.json(fleet.servers()));
    }
}
