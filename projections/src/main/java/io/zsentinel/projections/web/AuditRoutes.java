package io.zsentinel.projections.web;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.InvalidNameException;
import io.zsentinel.projections.audit.AuditView;

import java.util.Optional;
import java.util.UUID;

/** {@code /api/audit}, {@code /api/operations} and {@code /api/operations/{commandId}}. */
final class AuditRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AuditView audit;

    AuditRoutes(AuditView audit) {
        this.audit = audit;
    }

    void addTo(Routes routes) {
        routes.get("/api/audit", request -> ApiResponse.json(audit.audit(dataset(request), limit(request))));
        routes.get("/api/operations", request -> ApiResponse.json(audit.operations(dataset(request), limit(request))));
        routes.get("/api/operations/{commandId}", this::operation);
    }

    private ApiResponse operation(ApiRequest request) {
        String text = request.pathParam("commandId");
        UUID commandId;
        try {
            commandId = UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("\"" + text + "\" is not a command id",
                    "command ids are UUIDs, as POST answers and GET /api/operations lists them");
        }
        return ApiResponse.json(audit.operation(commandId).orElseThrow(() -> ApiException.notFound(
                "no operation " + commandId + " is known",
                "it may not be processed yet (retry in a moment), or it is older than the newest "
                        + AuditView.DEFAULT_CAPACITY + " operations; GET /api/operations lists them")));
    }

    private static Optional<DatasetName> dataset(ApiRequest request) {
        try {
            return request.query("dataset").map(DatasetName::new);
        } catch (InvalidNameException e) {
            throw ApiException.badRequest(e.getMessage(), "give a ZFS dataset name such as primary/vm1");
        }
    }

    private static int limit(ApiRequest request) {
        Optional<String> text = request.query("limit");
        if (text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.get());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest("limit must be a number from 1 to " + MAX_LIMIT + ", not \"" + text.get() + "\"",
                "omit it for the newest " + DEFAULT_LIMIT);
    }
}
