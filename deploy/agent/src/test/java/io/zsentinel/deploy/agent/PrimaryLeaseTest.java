package io.zsentinel.deploy.agent;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrimaryLeaseTest {
    private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");

    @Test
    void theLeaseRunsFromTheStartUntilAHeartbeatIsAcknowledgedThenFromThatHeartbeatsSending() {
        PrimaryLease lease = new PrimaryLease(Duration.ofSeconds(10), START);
        assertFalse(lease.expired(START.plusSeconds(10)), "exactly at the end it still holds");
        assertTrue(lease.expired(START.plusSeconds(10).plusMillis(1)));

        lease.renewed(START.plusSeconds(8)); // sent at 8 s, acknowledged whenever
        assertFalse(lease.expired(START.plusSeconds(18)));
        assertTrue(lease.expired(START.plusSeconds(18).plusMillis(1)));

        lease.renewed(START.plusSeconds(5)); // an older heartbeat acknowledged late renews nothing
        assertTrue(lease.expired(START.plusSeconds(18).plusMillis(1)));
    }

    @Test
    void aRenewalAfterTheLeaseRanOutIsALapseSeenOnce() {
        PrimaryLease lease = new PrimaryLease(Duration.ofSeconds(10), START);
        lease.renewed(START.plusSeconds(9));
        assertFalse(lease.lapsedSinceLastLook(), "renewed in time");
        lease.renewed(START.plusSeconds(60)); // the first heartbeat after a 50 s pause, acknowledged before any look
        assertFalse(lease.expired(START.plusSeconds(61)), "held again now");
        assertTrue(lease.lapsedSinceLastLook(), "but it ran out in between");
        assertFalse(lease.lapsedSinceLastLook(), "seen once");
    }

    @Test
    void aLeaseHasALength() {
        assertThrows(IllegalArgumentException.class, () -> new PrimaryLease(Duration.ZERO, START));
    }
}
