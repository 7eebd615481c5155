package io.zsentinel.projections.fleet;

import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.PoolCondition;
import io.zsentinel.failover.api.PoolHealthChanged;
import io.zsentinel.failover.api.ServerRegistered;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Servers and their pools (event sourced) plus liveness from heartbeats, which the controller
 * passes in directly because heartbeats never reach the event store. A reset clears only the event
 * sourced part: a replay must not make every server look unheard-of.
 */
@ProcessingGroup(FleetView.PROCESSING_GROUP)
public class FleetView {
    public static final String PROCESSING_GROUP = "fleet";

    private record Pool(PoolCondition condition, Instant since) {
    }

    private final Clock clock;
    private final Duration silenceTimeout;
    private final Map<ServerId, Instant> registered = new TreeMap<>();
    private final Map<ServerId, Map<PoolName, Pool>> pools = new TreeMap<>();
    private final Map<ServerId, Instant> heartbeats = new ConcurrentHashMap<>();

    public FleetView(Clock clock, Duration silenceTimeout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (silenceTimeout.isNegative() || silenceTimeout.isZero()) {
            throw new IllegalArgumentException("silence timeout must be positive, got " + silenceTimeout);
        }
        this.silenceTimeout = silenceTimeout;
    }

    @EventHandler
    public synchronized void on(ServerRegistered e) {
        registered.put(e.server(), e.at());
    }

    /** Keeps the newer condition, so a re-applied older event cannot roll a pool back. */
    @EventHandler
    public synchronized void on(PoolHealthChanged e) {
        PoolCondition c = e.condition();
        pools.computeIfAbsent(e.server(), s -> new TreeMap<>()).merge(c.pool(), new Pool(c, c.at()), (old, now) -> {
            if (now.condition.at().isBefore(old.condition.at())) {
                return old;
            }
            boolean sameHealth = now.condition.health() == old.condition.health();
            return sameHealth ? new Pool(c, old.since) : now;
        });
    }

    @ResetHandler
    public synchronized void reset() {
        registered.clear();
        pools.clear();
    }

    /** A redelivered or delayed heartbeat must not move liveness backwards: keep the newest. */
    public void heartbeat(ServerId server, Instant at) {
        heartbeats.merge(server, at, (a, b) -> b.isAfter(a) ? b : a);
    }

    /** Every server that registered or was heard, ordered by id. */
    public synchronized List<ServerRow> servers() {
        TreeSet<ServerId> ids = new TreeSet<>(registered.keySet());
        ids.addAll(heartbeats.keySet());
        Instant now = clock.instant();
        List<ServerRow> rows = new ArrayList<>(ids.size());
        for (ServerId id : ids) {
            rows.add(row(id, now));
        }
        return rows;
    }

    public synchronized Optional<ServerRow> server(ServerId id) {
        boolean known = registered.containsKey(id) || heartbeats.containsKey(id);
        return known ? Optional.of(row(id, clock.instant())) : Optional.empty();
    }

    private ServerRow row(ServerId id, Instant now) {
        Instant last = heartbeats.get(id);
        Long seconds = last == null ? null : Math.max(0, Duration.between(last, now).toSeconds());
        Liveness status = last == null ? Liveness.UNKNOWN
                : Duration.between(last, now).compareTo(silenceTimeout) <= 0 ? Liveness.UP : Liveness.SILENT;
        List<PoolRow> poolRows = pools.getOrDefault(id, Map.of()).values().stream().map(FleetView::poolRow).toList();
        return new ServerRow(id, status, last, seconds, registered.get(id), poolRows);
    }

    private static PoolRow poolRow(Pool p) {
        PoolCondition c = p.condition;
        return new PoolRow(c.pool(), c.health(), c.capacityPercent(), c.sizeBytes(), c.readErrors(),
                c.writeErrors(), c.checksumErrors(), p.since);
    }
}
