package io.zsentinel.projections.fleet;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.detect.Health;
import io.zsentinel.failover.detect.Liveness;

import java.time.Instant;
import java.util.List;

/**
 * A storage server as the dashboard shows it; heartbeat fields and registeredAt are null until known. {@code status}
 * is what its heartbeats alone say, {@code health} the failure detector's conclusion and {@code healthReason} why;
 * {@code declaredFailedAt}: when the controller last declared it failed (ServerDeclaredFailed), null if never.
 */
public record ServerRow(ServerId server, Liveness status, Instant lastHeartbeat, Long secondsSinceHeartbeat,
                        Instant registeredAt, List<PoolRow> pools, Health health, String healthReason, boolean maintenance,
                        Instant declaredFailedAt) {
}
