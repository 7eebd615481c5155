package io.zsentinel.deploy.transfer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.zsentinel.core.messages.agentcommands.TransferPolicy;
import io.zsentinel.core.values.ServerId;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's breaker per target applies the policy the order carries: the link's, not a setting of its own. */
class TargetBreakersTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final ServerId OFFSITE = new ServerId("offsite");

    private final TargetBreakers breakers = new TargetBreakers(Clock.fixed(T0, ZoneOffset.UTC));

    @Test
    void theCircuitOpensAfterTheLinksFailuresForTheLinksOpenTime() {
        TransferPolicy link = new TransferPolicy(Duration.ofMinutes(2), 2, Duration.ofMinutes(7));
        for (int i = 0; i < 2; i++) {
            assertTrue(breakers.refusal(OFFSITE, link).isEmpty());
            breakers.failed(OFFSITE, link, 1_000, "unreachable");
        }
        assertEquals(CircuitBreaker.State.OPEN, breakers.state(OFFSITE, link));
        String refusal = breakers.refusal(OFFSITE, link).orElseThrow();
        assertTrue(refusal.contains("(2 consecutive failures), next attempt at " + T0.plus(Duration.ofMinutes(7))),
                refusal);
    }

    @Test
    void theDefaultsNeedTheDefaultNumberOfFailures() {
        TransferPolicy defaults = TransferPolicy.DEFAULTS;
        for (int i = 1; i < defaults.breakerFailures(); i++) {
            assertTrue(breakers.refusal(OFFSITE, defaults).isEmpty());
            breakers.failed(OFFSITE, defaults, 1_000, "unreachable");
        }
        assertEquals(CircuitBreaker.State.CLOSED, breakers.state(OFFSITE, defaults));
        assertTrue(breakers.refusal(OFFSITE, defaults).isEmpty());
        breakers.failed(OFFSITE, defaults, 1_000, "unreachable");
        assertEquals(CircuitBreaker.State.OPEN, breakers.state(OFFSITE, defaults));
    }
}
