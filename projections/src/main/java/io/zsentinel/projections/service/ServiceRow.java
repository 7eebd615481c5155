package io.zsentinel.projections.service;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.FailoverStep;
import io.zsentinel.failover.api.ServiceName;

import java.time.Instant;
import java.util.List;

/**
 * A service as operators see it ({@code GET /api/services}, {@code zsentinel status}): who serves it at which
 * generation, its state ({@code serving}, {@code failing-over}, {@code blocked}), what blocks automatic failover, the
 * running failover's step and deadline, and the last failover.
 */
public record ServiceRow(ServiceName service, ServerId primary, List<ServerId> standbys, long generation, String state,
                         String blockedBy, FailoverId failover, FailoverStep step, Instant deadline,
                         FailoverSummary lastFailover) {
    public static final String SERVING = "serving";
    public static final String FAILING_OVER = "failing-over";
    public static final String BLOCKED = "blocked";

    public ServiceRow {
        standbys = List.copyOf(standbys);
    }
}
