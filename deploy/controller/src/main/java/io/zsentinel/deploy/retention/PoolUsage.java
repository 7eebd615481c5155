package io.zsentinel.deploy.retention;

import io.zsentinel.core.messages.facts.PoolHealthReported;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.schedule.PoolUsageSource;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The newest usage report of every pool, with the controller's time of arrival. Not event sourced:
 * reports arrive every few seconds and only changes become events; capacity pruning needs to know
 * that a report is newer than its last prune, which only the arrival time tells reliably.
 */
public final class PoolUsage implements PoolUsageSource {
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Report> latest = new ConcurrentHashMap<>();
    private final Map<String, Long> destroyed = new ConcurrentHashMap<>();
    private final Map<String, Long> refusedDestroys = new ConcurrentHashMap<>();

    public PoolUsage(Clock clock) {
        this.clock = clock;
    }

    public void accept(PoolHealthReported report) {
        latest.put(report.server() + "/" + report.pool(),
                new Report(report.server(), report.pool(), report.capacityPercent(), clock.instant(),
                        sequence.incrementAndGet()));
    }

    public void destroyed(ServerId server, Guid guid) {
        destroyed.put(server + "/" + guid, sequence.incrementAndGet());
    }

    /**
     * True once the snapshot's destroy fact arrived and, after it, a usage report of its pool: that
     * report shows the pool without the snapshot (one server's facts are handled in order).
     */
    @Override
    public boolean reportedAfterDestroy(ServerId server, PoolName pool, Guid guid) {
        Long destroyedAt = destroyed.get(server + "/" + guid);
        Report report = latest.get(server + "/" + pool);
        return destroyedAt != null && report != null && report.sequence() > destroyedAt;
    }

    /**
     * The agent refused a destroy on {@code pool} (a hold placed after the inventory the prune was chosen
     * from, a busy snapshot): no destroy fact will come for it.
     */
    public void destroyRefused(ServerId server, PoolName pool) {
        refusedDestroys.put(server + "/" + pool, sequence.incrementAndGet());
    }

    /** The current position in the order of arrival, to compare later facts with. */
    @Override
    public long position() {
        return sequence.get();
    }

    /** True when a destroy on {@code pool} was refused after {@code position}. */
    @Override
    public boolean destroyRefusedSince(ServerId server, PoolName pool, long position) {
        return refusedDestroys.getOrDefault(server + "/" + pool, 0L) > position;
    }

    /** Forgets a destroy once it has been acted on (keeps the map small). */
    @Override
    public void forget(ServerId server, Guid guid) {
        destroyed.remove(server + "/" + guid);
    }

    @Override
    public List<Report> reports() {
        return List.copyOf(latest.values());
    }
}
