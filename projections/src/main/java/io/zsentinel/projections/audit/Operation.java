package io.zsentinel.projections.audit;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.UUID;

/**
 * One agent command a dataset ordered, and how far it got. {@code orderedBy} is the operator, or null
 * when zsentinel's own retention ordered it; {@code detail} is the agent's outcome (or the failure
 * reason), null while ordered.
 */
public record Operation(UUID commandId, ServerId server, DatasetName dataset, String kind, String snapshot,
                        String description, Instant orderedAt, String orderedBy, String status, String detail,
                        Instant settledAt) {
    public static final String ORDERED = "ordered";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    Operation orderedBy(String operator) {
        return new Operation(commandId, server, dataset, kind, snapshot, description, orderedAt, operator, status,
                detail, settledAt);
    }

    Operation settle(String newStatus, String newDetail, Instant at) {
        return new Operation(commandId, server, dataset, kind, snapshot, description, orderedAt, orderedBy, newStatus,
                newDetail, at);
    }
}
