package io.zsentinel.projections.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.InvalidNameException;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.projections.inventory.DatasetSummary;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.link.RetentionHeldBack;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /api/datasets} and {@code /api/datasets/{name}/snapshots}. Each dataset says what replication
 * links hold back of its retention ({@code retentionHeldBack}, empty when nothing or no links are known).
 */
final class InventoryRoutes {
    /** A dataset as the API answers it: the summary's fields, and what links hold back of its retention. */
    record DatasetAnswer(@JsonUnwrapped DatasetSummary summary, List<RetentionHeldBack> retentionHeldBack) {
    }

    private final SnapshotInventoryView inventory;
    private final Supplier<List<RetentionHeldBack>> heldBack;

    InventoryRoutes(SnapshotInventoryView inventory, Supplier<List<RetentionHeldBack>> heldBack) {
        this.inventory = inventory;
        this.heldBack = heldBack;
    }

    void addTo(Routes routes) {
        routes.get("/api/datasets", this::datasets);
        routes.get("/api/datasets/{name}/snapshots", this::snapshots);
    }

    private ApiResponse datasets(ApiRequest request) {
        List<RetentionHeldBack> held = heldBack.get();
        return ApiResponse.json(inventory.datasets(server(request)).stream()
                .map(d -> new DatasetAnswer(d, held.stream().filter(h -> h.server().equals(d.server().value())
                        && h.dataset().equals(d.dataset().value())).toList()))
                .toList());
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
