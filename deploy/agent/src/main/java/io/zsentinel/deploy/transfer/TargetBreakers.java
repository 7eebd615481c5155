package io.zsentinel.deploy.transfer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.zsentinel.core.messages.agentcommands.TransferPolicy;
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
 * One Resilience4j circuit breaker per target server and link policy (the {@link TransferPolicy} each
 * StartTransfer carries; links with the same policy to one server share it): after
 * {@code breakerFailures} consecutive failures that are the target's (unreachable, broken stream, stall;
 * not a refused plan) it opens, and transfers to that server are refused at once for {@code breakerOpen};
 * then one trial goes through (half-open). The controller schedules retries; the breaker only stops
 * hammering a dead target.
 */
final class TargetBreakers {
    private static final Logger log = LoggerFactory.getLogger(TargetBreakers.class);

    private record Key(String target, TransferPolicy policy) {
    }

    private final Clock clock;
    private final Map<Key, Instant> openedAt = new ConcurrentHashMap<>();
    private final Map<Key, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    TargetBreakers(Clock clock) {
        this.clock = clock;
    }

    private CircuitBreaker breaker(ServerId target, TransferPolicy policy) {
        return breakers.computeIfAbsent(new Key(target.value(), policy), key -> {
            CircuitBreaker created = CircuitBreaker.of(key.target(), CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(policy.breakerFailures())
                    .minimumNumberOfCalls(policy.breakerFailures())
                    .failureRateThreshold(100) // all of the last N: N consecutive failures
                    .waitDurationInOpenState(policy.breakerOpen())
                    .permittedNumberOfCallsInHalfOpenState(1)
                    .recordExceptions(Exception.class)
                    .build());
            created.getEventPublisher().onStateTransition(e -> {
                if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                    openedAt.put(key, clock.instant());
                }
                log.warn("circuit breaker for transfers to target {}: {}", key.target(), e.getStateTransition());
            });
            return created;
        });
    }

    /** Empty when a transfer may start (it must then be reported by {@link #succeeded} or {@link #failed}). */
    Optional<String> refusal(ServerId target, TransferPolicy policy) {
        CircuitBreaker breaker = breaker(target, policy);
        if (breaker.tryAcquirePermission()) {
            return Optional.empty();
        }
        Instant since = openedAt.getOrDefault(new Key(target.value(), policy), clock.instant());
        return Optional.of("circuit open for target " + target + " since " + since + " (" + policy.breakerFailures()
                + " consecutive failures), next attempt at " + since.plus(policy.breakerOpen())
                + "; check that the target server is up and reachable");
    }

    void succeeded(ServerId target, TransferPolicy policy, long nanos) {
        breaker(target, policy).onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    void failed(ServerId target, TransferPolicy policy, long nanos, String reason) {
        breaker(target, policy).onError(nanos, TimeUnit.NANOSECONDS, new TransferFailure(reason));
    }

    /** Neither success nor failure (cancelled by the agent, a refused plan): frees the trial slot. */
    void released(ServerId target, TransferPolicy policy) {
        breaker(target, policy).releasePermission();
    }

    CircuitBreaker.State state(ServerId target, TransferPolicy policy) {
        return breaker(target, policy).getState();
    }

    private static final class TransferFailure extends Exception {
        TransferFailure(String reason) {
            super(reason, null, false, false);
        }
    }
}
