package io.zsentinel.deploy.retention;

import io.zsentinel.core.messages.facts.PoolHealthReported;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest usage report of every pool, with the controller's time of arrival. Not event sourced:
 * reports arrive every few seconds and only changes become events; capacity pruning needs to know
 * that a report is newer than its last prune, which only the arrival time tells reliably.
 */
public final class PoolUsage {
    public record Report(ServerId server, PoolName pool, int capacityPercent, Instant receivedAt) {
    }

    private final Clock clock;
    private final Map<String, Report> latest = new ConcurrentHashMap<>();

    public PoolUsage(Clock clock) {
        this.clock = clock;
    }

    public void accept(PoolHealthReported report) {
        latest.put(report.server() + "/" + report.pool(),
                new Report(report.server(), report.pool(), report.capacityPercent(), clock.instant()));
    }

    public List<Report> reports() {
        return List.copyOf(latest.values());
    }
}
