package io.zsentinel.projections.web;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.InvalidNameException;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.projections.inventory.SnapshotInventoryView;

import java.util.Optional;

/** {@code /api/datasets} and {@code /api/datasets/{name}/snapshots}. */
final class InventoryRoutes {
    private final SnapshotInventoryView inventory;

    InventoryRoutes(SnapshotInventoryView inventory) {
        this.inventory = inventory;
    }

    void addTo(Routes routes) {
        routes.get("/api/datasets", this::datasets);
        routes.get("/api/datasets/{name}/snapshots", this::snapshots);
    }

    private ApiResponse datasets(ApiRequest request) {
        return ApiResponse.json(inventory.datasets(server(request)));
    }

    private ApiResponse snapshots(ApiRequest request) {
        DatasetName dataset = datasetName(request.pathParam("name"));
        Optional<ServerId> server = server(request);
        if (!inventory.knows(dataset, server)) {
            String where = server.map(s -> "on server \"" + s + "\"").orElse("on any server");
            throw ApiException.notFound("dataset \"" + dataset + "\" is not known " + where,
                    "GET /api/datasets lists the known datasets; names are case-sensitive");
        }
        return ApiResponse.json(inventory.snapshots(dataset, server));
    }

    private static DatasetName datasetName(String text) {
        try {
            return new DatasetName(text);
        } catch (InvalidNameException e) {
            throw ApiException.badRequest(e.getMessage(),
                    "give a ZFS dataset name such as primary/vm1, URL-encoded as one path segment: primary%2Fvm1");
        }
    }

    static Optional<ServerId> server(ApiRequest request) {
        try {
            return request.query("server").map(ServerId::new);
        } catch (InvalidNameException e) {
            throw ApiException.badRequest(e.getMessage(), "GET /api/servers lists the server ids");
        }
    }
}
