package io.zsentinel.projections.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET /health}: 200 when every check is up, 503 otherwise (what load balancers and probes read). */
public final class HealthEndpoint implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(HealthEndpoint.class);

    private final Map<String, Supplier<HealthCheck.Result>> checks = new LinkedHashMap<>();

    /** Checks run on every request, in the order added: keep them quick and free of side effects. */
    public synchronized HealthEndpoint add(String name, Supplier<HealthCheck.Result> check) {
        checks.put(name, check);
        return this;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Map<String, HealthCheck.Result> results = new LinkedHashMap<>();
        snapshot().forEach((name, check) -> results.put(name, run(name, check)));
        boolean up = results.values().stream().allMatch(HealthCheck.Result::up);
        return ApiResponse.json(up ? 200 : 503, new Body(up ? "UP" : "DOWN", results));
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
