package io.zsentinel.projections.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /health}: 200 when every check is up, 503 otherwise (what load balancers and probes read);
 * the body names each check with its status and detail. {@link #notReady()} tells REST handlers whether
 * what they serve may be stale, from an answer at most {@link #REUSE_FOR} old.
 */
public final class HealthEndpoint implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(HealthEndpoint.class);
    /** REST answers reuse a health answer this young rather than asking the store and broker each time. */
    public static final Duration REUSE_FOR = Duration.ofSeconds(1);

    private final Map<String, Supplier<HealthCheck.Result>> checks = new LinkedHashMap<>();
    private final Clock clock;
    private Evaluation last;

    public HealthEndpoint() {
        this(Clock.systemUTC());
    }

    public HealthEndpoint(Clock clock) {
        this.clock = clock;
    }

    private record Evaluation(Instant at, Map<String, HealthCheck.Result> results) {
        boolean up() {
            return results.values().stream().allMatch(HealthCheck.Result::up);
        }
    }

    /** Checks run on every request, in the order added: keep them quick and free of side effects. */
    public synchronized HealthEndpoint add(String name, Supplier<HealthCheck.Result> check) {
        checks.put(name, check);
        return this;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Evaluation now = evaluate();
        boolean up = now.up();
        return ApiResponse.json(up ? 200 : 503, new Body(up ? "UP" : "DOWN", now.results()));
    }

    /** The first failing check as "name: detail", empty when all are up; reuses an answer younger than {@link #REUSE_FOR}. */
    public Optional<String> notReady() {
        Evaluation e;
        synchronized (this) {
            e = last;
            if (e == null || Duration.between(e.at(), clock.instant()).compareTo(REUSE_FOR) > 0) {
                e = evaluate();
            }
        }
        return e.results().entrySet().stream().filter(r -> !r.getValue().up())
                .map(r -> r.getKey() + ": " + r.getValue().detail()).findFirst();
    }

    private Evaluation evaluate() {
        Map<String, HealthCheck.Result> results = new LinkedHashMap<>();
        snapshot().forEach((name, check) -> results.put(name, run(name, check)));
        Evaluation e = new Evaluation(clock.instant(), results);
        synchronized (this) {
            last = e;
        }
        return e;
    }

    private synchronized Map<String, Supplier<HealthCheck.Result>> snapshot() {
        return new LinkedHashMap<>(checks);
    }

    /** A check that throws is down; its message is shown, its stack trace only logged. */
    private static HealthCheck.Result run(String name, Supplier<HealthCheck.Result> check) {
        try {
            HealthCheck.Result result = check.get();
            return result != null ? result : HealthCheck.Result.down("the check returned nothing");
        } catch (RuntimeException e) {
            log.warn("health check {} failed", name, e);
            return HealthCheck.Result.down("the check failed: " + e.getMessage());
        }
    }

    record Body(String status, Map<String, HealthCheck.Result> checks) {
    }
}
