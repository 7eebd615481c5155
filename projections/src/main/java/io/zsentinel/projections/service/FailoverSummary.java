package io.zsentinel.projections.service;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.ServiceName;

import java.time.Instant;
import java.util.List;

/**
 * One failover ({@code GET /api/failovers/{id}}, {@code zsentinel failover show <id>}): from and to (null while no
 * standby is chosen), its generation, how it ended ({@code running}, {@code switched}, {@code aborted},
 * {@code refused}) and every step in order.
 */
public record FailoverSummary(FailoverId id, ServiceName service, ServerId from, ServerId to, long generation,
                              String outcome, Instant started, Instant ended, List<Step> steps) {
    public static final String RUNNING = "running";
    public static final String SWITCHED = "switched";
    public static final String ABORTED = "aborted";
    public static final String REFUSED = "refused";

    public FailoverSummary {
        steps = List.copyOf(steps);
    }

    /** One step: the domain event's type, when, and what it says. */
    public record Step(String event, Instant at, String text) {
    }
}
