package io.zsentinel.failover.detect;

import io.zsentinel.core.values.ServerId;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a storage server is alive, from its heartbeats. Heartbeats are not event sourced
 * (they arrive every few seconds from every server), so the detector holds them in memory: a
 * controller restart or a view replay starts every server as unknown until it is heard again.
 * The time of a verdict is a parameter, so the rule runs on any clock. Thread-safe: the consumer
 * of agent facts tells it, while HTTP threads and schedulers ask.
 */
public final class FailureDetector {
    private final DetectorSettings settings;
    private final Map<ServerId, Instant> heartbeats = new ConcurrentHashMap<>();

    public FailureDetector(DetectorSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A redelivered or delayed heartbeat must not move liveness backwards: the newest is kept. */
    public void heartbeat(ServerId server, Instant at) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(at, "at");
        heartbeats.merge(server, at, (kept, heard) -> heard.isAfter(kept) ? heard : kept);
    }

    /** Up while the last heartbeat is at most the heartbeat timeout old; unknown when never heard. */
    public Verdict verdict(ServerId server, Instant now) {
        Instant last = heartbeats.get(Objects.requireNonNull(server, "server"));
        return last == null ? new Verdict(server, Liveness.UNKNOWN, null, null) : verdict(server, last, now);
    }

    /** Every server heard since the start, ordered by id. */
    public SortedMap<ServerId, Verdict> verdicts(Instant now) {
        SortedMap<ServerId, Verdict> all = new TreeMap<>();
        heartbeats.forEach((server, last) -> all.put(server, verdict(server, last, now)));
        return all;
    }

    private Verdict verdict(ServerId server, Instant last, Instant now) {
        Duration silence = Duration.between(last, now);
        Liveness liveness = silence.compareTo(settings.heartbeatTimeout()) <= 0 ? Liveness.UP : Liveness.SILENT;
        return new Verdict(server, liveness, last, silence);
    }
}
