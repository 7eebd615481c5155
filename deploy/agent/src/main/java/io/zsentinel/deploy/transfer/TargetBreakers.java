package io.zsentinel.deploy.transfer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.zsentinel.core.values.ServerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One Resilience4j circuit breaker per target server: after {@code breakerFailures} consecutive
 * failures that are the target's (unreachable, broken stream, stall; not a refused plan) it opens, and
 * transfers to that server are refused at once for {@code breakerOpenSeconds}; then one trial goes
 * through (half-open). The controller schedules retries; the breaker only stops hammering a dead target.
 */
final class TargetBreakers {
    private static final Logger log = LoggerFactory.getLogger(TargetBreakers.class);

    private final CircuitBreakerRegistry registry;
    private final Clock clock;
    private final TransferSettings settings;
    private final Map<String, Instant> openedAt = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    TargetBreakers(TransferSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerFailures())
                .minimumNumberOfCalls(settings.breakerFailures())
                .failureRateThreshold(100) // all of the last N: N consecutive failures
                .waitDurationInOpenState(settings.breakerOpen())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordExceptions(Exception.class)
                .build());
    }

    private CircuitBreaker breaker(ServerId target) {
        return breakers.computeIfAbsent(target.value(), name -> {
            CircuitBreaker created = registry.circuitBreaker(name);
            created.getEventPublisher().onStateTransition(e -> {
                if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                    openedAt.put(name, clock.instant());
                }
                log.warn("circuit breaker for transfers to target {}: {}", name, e.getStateTransition());
            });
            return created;
        });
    }

    /** Empty when a transfer may start (it must then be reported by {@link #succeeded} or {@link #failed}). */
    Optional<String> refusal(ServerId target) {
        CircuitBreaker breaker = breaker(target);
        if (breaker.tryAcquirePermission()) {
            return Optional.empty();
        }
        Instant since = openedAt.getOrDefault(target.value(), clock.instant());
        return Optional.of("circuit open for target " + target + " since " + since + " (" + settings.breakerFailures()
                + " consecutive failures), next attempt at " + since.plus(settings.breakerOpen())
                + "; check that the target server is up and reachable");
    }

    void succeeded(ServerId target, long nanos) {
        breaker(target).onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    void failed(ServerId target, long nanos, String reason) {
        breaker(target).onError(nanos, TimeUnit.NANOSECONDS, new TransferFailure(reason));
    }

    /** Neither success nor failure (cancelled by the agent, a refused plan): frees the trial slot. */
    void released(ServerId target) {
        breaker(target).releasePermission();
    }

    CircuitBreaker.State state(ServerId target) {
        return breaker(target).getState();
    }

    private static final class TransferFailure extends Exception {
        TransferFailure(String reason) {
            super(reason, null, false, false);
        }
    }
}
