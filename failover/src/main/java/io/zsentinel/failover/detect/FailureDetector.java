package io.zsentinel.failover.detect;

import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Decides whether a storage server is healthy, suspect or failed (docs/architecture.md, "Failure detection"):
 * <ul>
 * <li>heard within the heartbeat timeout: healthy, unless its own agent reports a pool FAULTED, UNAVAIL or
 *     SUSPENDED (the server itself says its storage is gone) or the fence hook confirmed it off since;</li>
 * <li>unheard past the timeout: suspect, and failed only with a second, independent observation made since its
 *     last heartbeat: a failed pool, another server's agent that cannot reach it (and none that can), or a
 *     confirmed fence;</li>
 * <li>never heard since the controller started: unknown, or, when the controller {@link #expect expects} it (a
 *     registered server), judged from the controller's start as if heard then;</li>
 * <li>every server is unknown while the fleet is
 *     ({@link FleetStatus}): silence of everything at once is never a failure.</li>
 * </ul>
 * Heartbeats, probes and pool reports are not event sourced here (they arrive every few seconds from every
 * server), so a controller restart starts every server as unknown until it is heard again. The time of a verdict
 * is a parameter, so the rule runs on any clock. One writer, many readers: the consumer of agent facts tells it,
 * HTTP threads and schedulers ask; each server's observations are replaced whole, never half-updated.
 */
public final class FailureDetector {
    private record PoolReport(PoolHealth health, Instant at) {
    }

    /** Everything observed of one server; replaced whole on every observation. */
    private record Observed(Instant lastHeartbeat, Map<PoolName, PoolReport> pools, Map<ServerId, ProbeResult> probes,
                            Instant fencedAt, boolean maintenance, Instant expectedSince) {
        static final Observed NOTHING = new Observed(null, Map.of(), Map.of(), null, false, null);

        Observed heard(Instant at) {
            return lastHeartbeat != null && !at.isAfter(lastHeartbeat) ? this
                    : new Observed(at, pools, probes, fencedAt, maintenance, expectedSince);
        }

        Observed pool(PoolName pool, PoolHealth health, Instant at) {
            PoolReport kept = pools.get(pool);
            if (kept != null && at.isBefore(kept.at())) {
                return this; // a redelivered older report must not undo a newer one
            }
            Map<PoolName, PoolReport> copy = new TreeMap<>(pools);
            copy.put(pool, new PoolReport(health, at));
            return new Observed(lastHeartbeat, Map.copyOf(copy), probes, fencedAt, maintenance, expectedSince);
        }

        Observed probed(ProbeResult probe) {
            ProbeResult kept = probes.get(probe.observer());
            if (kept != null && probe.at().isBefore(kept.at())) {
                return this;
            }
            Map<ServerId, ProbeResult> copy = new TreeMap<>(probes);
            copy.put(probe.observer(), probe);
            return new Observed(lastHeartbeat, pools, Map.copyOf(copy), fencedAt, maintenance, expectedSince);
        }

        Observed fenced(Instant at) {
            return fencedAt != null && !at.isAfter(fencedAt) ? this
                    : new Observed(lastHeartbeat, pools, probes, at, maintenance, expectedSince);
        }

        Observed maintenance(boolean on) {
            return new Observed(lastHeartbeat, pools, probes, fencedAt, on, expectedSince);
        }

        Observed expected(Instant since) {
            return expectedSince != null ? this : new Observed(lastHeartbeat, pools, probes, fencedAt, maintenance, since);
        }
    }

    private record Connection(boolean up, Instant since) {
    }

    private final DetectorSettings settings;
    private final Map<ServerId, Observed> observed = new ConcurrentHashMap<>();
    private volatile Connection connection = new Connection(true, null);

    public FailureDetector(DetectorSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A redelivered or delayed heartbeat must not move liveness backwards: the newest is kept. */
    public void heartbeat(ServerId server, Instant at) {
        Objects.requireNonNull(at, "at");
        update(server, o -> o.heard(at));
    }

    /** A pool report of the server's own agent; the newest report of each pool counts. */
    public void poolReported(ServerId server, PoolName pool, PoolHealth health, Instant at) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(at, "at");
        update(server, o -> o.pool(pool, health, at));
    }

    /** Another server's agent tried to reach {@code probe.target()}; the newest result of each observer counts. */
    public void probed(ProbeResult probe) {
        Objects.requireNonNull(probe, "probe");
        update(probe.target(), o -> o.probed(probe));
    }

    /** The fence hook confirmed the server off at {@code at}. A heartbeat after that means it is back. */
    public void fenceConfirmed(ServerId server, Instant at) {
        Objects.requireNonNull(at, "at");
        update(server, o -> o.fenced(at));
    }

    /**
     * A server known to exist (registered in the event store) is watched from {@code since} (the controller's start):
     * until heard, it is judged as if last heard then, so that one that died while the controller was down is still
     * found suspect, and failed with a second observation. The first call counts.
     */
    public void expect(ServerId server, Instant since) {
        Objects.requireNonNull(since, "since");
        update(server, o -> o.expected(since));
    }

    /** An operator put the server in maintenance mode, or took it out: automatic failover is suppressed meanwhile. */
    public void maintenance(ServerId server, boolean on) {
        update(server, o -> o.maintenance(on));
    }

    /** The controller lost its own connection to Kafka: from now, nobody can be judged. */
    public void connectionLost(Instant at) {
        connection = new Connection(false, Objects.requireNonNull(at, "at"));
    }

    /** The connection is back; the fleet stays unknown for one heartbeat timeout, while the heartbeats sent meanwhile arrive. */
    public void connectionRestored(Instant at) {
        connection = new Connection(true, Objects.requireNonNull(at, "at"));
    }

    /** Whether any server can be judged at {@code now}. */
    public FleetStatus fleet(Instant now) {
        return fleet(Map.copyOf(observed), now);
    }

    public Verdict verdict(ServerId server, Instant now) {
        Objects.requireNonNull(server, "server");
        Map<ServerId, Observed> all = Map.copyOf(observed);
        return verdict(server, all.getOrDefault(server, Observed.NOTHING), fleet(all, now), now);
    }

    /** Every server observed since the start, ordered by id, judged at the same instant. */
    public SortedMap<ServerId, Verdict> verdicts(Instant now) {
        Map<ServerId, Observed> all = Map.copyOf(observed);
        FleetStatus fleet = fleet(all, now);
        SortedMap<ServerId, Verdict> verdicts = new TreeMap<>();
        all.forEach((server, o) -> verdicts.put(server, verdict(server, o, fleet, now)));
        return verdicts;
    }

    private void update(ServerId server, java.util.function.UnaryOperator<Observed> change) {
        Objects.requireNonNull(server, "server");
        observed.compute(server, (id, o) -> change.apply(o == null ? Observed.NOTHING : o));
    }

    private FleetStatus fleet(Map<ServerId, Observed> all, Instant now) {
        Connection c = connection;
        if (!c.up()) {
            return FleetStatus.unknown("the controller's connection to Kafka is down since " + c.since());
        }
        if (c.since() != null && Duration.between(c.since(), now).compareTo(settings.heartbeatTimeout()) <= 0) {
            return FleetStatus.unknown("the controller's connection to Kafka came back at " + c.since()
                    + "; waiting " + settings.heartbeatTimeout().toSeconds() + " s for the heartbeats sent meanwhile");
        }
        boolean anyHeard = false;
        for (Observed o : all.values()) {
            if (o.lastHeartbeat() != null) {
                anyHeard = true;
                if (!silent(o.lastHeartbeat(), now)) {
                    return FleetStatus.judged();
                }
            }
        }
        return FleetStatus.unknown(anyHeard ? "every server is silent at once: an outage between them and the controller"
                + " (Kafka, the network), not a failure of each" : "no server heard yet");
    }

    private boolean silent(Instant last, Instant now) {
        return Duration.between(last, now).compareTo(settings.heartbeatTimeout()) > 0;
    }

    private Verdict verdict(ServerId server, Observed o, FleetStatus fleet, Instant now) {
        Instant last = o.lastHeartbeat();
        Instant reference = last != null ? last : o.expectedSince(); // observations count from here on
        if (reference == null) {
            return new Verdict(server, Liveness.UNKNOWN, Health.UNKNOWN, null, null, Set.of(), o.maintenance(),
                    "not heard since the controller started");
        }
        Duration silence = last == null ? null : Duration.between(last, now);
        boolean silent = silent(reference, now);
        Liveness liveness = last == null ? Liveness.UNKNOWN : silent ? Liveness.SILENT : Liveness.UP;
        if (!fleet.known()) {
            return new Verdict(server, liveness, Health.UNKNOWN, last, silence, Set.of(), o.maintenance(), fleet.reason());
        }
        if (last == null && !silent) {
            return new Verdict(server, liveness, Health.UNKNOWN, null, null, Set.of(), o.maintenance(),
                    "not heard yet; watched since " + reference);
        }
        Set<Evidence> evidence = EnumSet.noneOf(Evidence.class);
        StringBuilder why = new StringBuilder();
        String lostPools = o.pools().entrySet().stream().filter(p -> p.getValue().health().lost())
                .map(p -> p.getKey() + " " + p.getValue().health()).collect(Collectors.joining(", "));
        if (!lostPools.isEmpty()) {
            evidence.add(Evidence.POOL_FAILED);
            why.append("; its agent reported pool ").append(lostPools);
        }
        if (o.fencedAt() != null && o.fencedAt().isAfter(reference)) {
            evidence.add(Evidence.FENCE_CONFIRMED);
            why.append("; fence confirmed it off at ").append(o.fencedAt());
        }
        if (silent) {
            String unreachable = unreachableSince(o, reference);
            if (unreachable != null) {
                evidence.add(Evidence.UNREACHABLE_FROM_PEER);
                why.append("; ").append(unreachable);
            }
        }
        String heard = last == null ? "not heard since the controller started watching it at " + reference
                : silent ? "unheard for " + silence.toSeconds() + " s" : "heard " + Math.max(0, silence.toSeconds()) + " s ago";
        if (!evidence.isEmpty()) {
            return new Verdict(server, liveness, Health.FAILED, last, silence, evidence, o.maintenance(), heard + why);
        }
        return silent
                ? new Verdict(server, liveness, Health.SUSPECT, last, silence, evidence, o.maintenance(),
                        heard + "; nothing else says it is down" + peersWhoReachIt(o, reference))
                : new Verdict(server, liveness, Health.HEALTHY, last, silence, evidence, o.maintenance(), heard);
    }

    /**
     * Probes since the last heartbeat, newest per observer: evidence when some observer could not reach it and none
     * could (one that still reaches it means only the controller is cut off from it).
     */
    private static String unreachableSince(Observed o, Instant last) {
        var recent = o.probes().values().stream().filter(p -> p.at().isAfter(last)).toList();
        if (recent.isEmpty() || recent.stream().anyMatch(ProbeResult::reachable)) {
            return null;
        }
        return recent.stream().map(p -> p.observer().value()).collect(Collectors.joining(", "))
                + " cannot reach it (probed since its last heartbeat)";
    }

    private static String peersWhoReachIt(Observed o, Instant last) {
        String reach = o.probes().values().stream().filter(p -> p.at().isAfter(last) && p.reachable())
                .map(p -> p.observer().value()).collect(Collectors.joining(", "));
        return reach.isEmpty() ? "" : " (" + reach + " still reach" + (reach.contains(",") ? "" : "es") + " it)";
    }
}
