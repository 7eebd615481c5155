package io.zsentinel.projections.fleet;

import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.MaintenanceModeChanged;
import io.zsentinel.failover.api.PoolCondition;
import io.zsentinel.failover.api.PoolHealthChanged;
import io.zsentinel.failover.api.ServerDeclaredFailed;
import io.zsentinel.failover.api.ServerRegistered;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.failover.detect.Verdict;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Servers and their pools (event sourced) plus each server's liveness as the {@link FailureDetector}
 * judges it, which heartbeats reach directly: they never reach the event store. A reset clears only
 * the event sourced part, and the detector keeps its heartbeats, so a replay does not make every
 * server look unheard-of.
 */
@ProcessingGroup(FleetView.PROCESSING_GROUP)
public class FleetView {
    public static final String PROCESSING_GROUP = "fleet";

    private record Pool(PoolCondition condition, Instant since) {
    }

    private final Clock clock;
    private final FailureDetector detector;
    private final Map<ServerId, Instant> registered = new TreeMap<>();
    private final Map<ServerId, Map<PoolName, Pool>> pools = new TreeMap<>();
    private final Map<ServerId, Instant> declaredFailed = new TreeMap<>();

    public FleetView(Clock clock, FailureDetector detector) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.detector = Objects.requireNonNull(detector, "detector");
    }

    /**
     * A registered server is watched from now on (at the controller's start, when the view is replayed): one that
     * died while the controller was down is then found suspect, rather than unknown for ever.
     */
    @EventHandler
    public synchronized void on(ServerRegistered e) {
        registered.put(e.server(), e.at());
        detector.expect(e.server(), clock.instant());
    }

    /** Maintenance mode is event sourced; the detector, which suppresses automatic failover by it, is told on replay too. */
    @EventHandler
    public void on(MaintenanceModeChanged e) {
        detector.maintenance(e.server(), e.on());
    }

    /** The latest declaration: a server that came back and failed again is declared again. */
    @EventHandler
    public synchronized void on(ServerDeclaredFailed e) {
        declaredFailed.merge(e.server(), e.at(), (old, now) -> now.isAfter(old) ? now : old);
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
        declaredFailed.clear();
    }

    /** Every server that registered or was heard, ordered by id. */
    public synchronized List<ServerRow> servers() {
        Instant now = clock.instant();
        Map<ServerId, Verdict> verdicts = detector.verdicts(now);
        registered.keySet().forEach(id -> verdicts.computeIfAbsent(id, unheard -> detector.verdict(unheard, now)));
        List<ServerRow> rows = new ArrayList<>(verdicts.size());
        verdicts.values().forEach(v -> rows.add(row(v)));
        return rows;
    }

    private ServerRow row(Verdict verdict) {
        ServerId id = verdict.server();
        Long seconds = verdict.silence() == null ? null : Math.max(0, verdict.silence().toSeconds());
        List<PoolRow> poolRows = pools.getOrDefault(id, Map.of()).values().stream().map(FleetView::poolRow).toList();
        return new ServerRow(id, verdict.liveness(), verdict.lastHeartbeat(), seconds, registered.get(id), poolRows,
                verdict.health(), verdict.reason(), verdict.maintenance(), declaredFailed.get(id));
    }

    private static PoolRow poolRow(Pool p) {
        PoolCondition c = p.condition;
        return new PoolRow(c.pool(), c.health(), c.capacityPercent(), c.sizeBytes(), c.readErrors(),
                c.writeErrors(), c.checksumErrors(), p.since);
    }
}
