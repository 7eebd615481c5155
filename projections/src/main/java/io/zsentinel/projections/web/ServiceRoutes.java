package io.zsentinel.projections.web;

import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.projections.service.FailoverSummary;
import io.zsentinel.projections.service.ServiceRow;
import io.zsentinel.projections.service.ServicesView;

import java.util.List;

/** {@code /api/services}, {@code /api/services/{name}} (with its failovers) and {@code /api/failovers/{id}}. */
public final class ServiceRoutes {
    static final String SERVICES_HINT = "GET /api/services lists the services configured under services: in controller.yaml";

    /** A service with its failovers, newest first. */
    record ServiceAnswer(ServiceRow service, List<FailoverSummary> failovers) {
    }

    private final ServicesView services;

    public ServiceRoutes(ServicesView services) {
        this.services = services;
    }

    public void addTo(Routes routes) {
        routes.get("/api/services", request -> ApiResponse.json(services.services()));
        routes.get("/api/services/{name}", request -> {
            ServiceName name = serviceName(request.pathParam("name"));
            ServiceRow row = services.find(name).orElseThrow(() -> ApiException.notFound("no service " + name
                    + " is known", SERVICES_HINT));
            return ApiResponse.json(new ServiceAnswer(row, services.failovers(name)));
        });
        routes.get("/api/failovers/{id}", request -> {
            FailoverId id;
            try {
                id = FailoverId.parse(request.pathParam("id"));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage(), "GET /api/services/{name} lists a service's failovers");
            }
            FailoverId found = id;
            return ApiResponse.json(services.failover(id).orElseThrow(() -> ApiException.notFound("no failover " + found
                    + " is known (the controller keeps the last " + ServicesView.FAILOVERS_KEPT + " of each service)",
                    "GET /api/services/{name} lists a service's failovers")));
        });
    }

    static ServiceName serviceName(String text) {
        try {
            return ServiceName.of(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage(), SERVICES_HINT);
        }
    }
}
