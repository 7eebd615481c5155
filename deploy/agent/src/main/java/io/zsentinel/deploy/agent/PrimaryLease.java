package io.zsentinel.deploy.agent;

import java.time.Duration;
import java.time.Instant;

/**
 * The agent's lease on serving: renewed each time the broker acknowledges one of its heartbeats (counted from when
 * the heartbeat was sent, never later), expired once none was acknowledged for {@code lease}. The controller waits
 * longer than that (the lease and a margin, from the last heartbeat it received, which is never earlier than the
 * send) before it promotes another server without a confirmed fence, so a primary cut off from Kafka has stopped
 * taking writes by then. A renewal after the lease ran out is remembered as a lapse, so an agent paused as a whole
 * (SIGSTOP, a VM pause, a long GC) still demotes when it resumes, whichever of its threads runs first. Before the
 * first acknowledgement the lease counts from the agent's start. Thread-safe.
 */
final class PrimaryLease {
    private final Duration lease;
    private Instant renewedAt;
    /** A renewal came after the lease had run out (the process was paused, or Kafka was away): not yet looked at. */
    private boolean lapsed;

    PrimaryLease(Duration lease, Instant startedAt) {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("a lease lasts longer than 0, not " + lease);
        }
        this.lease = lease;
        this.renewedAt = startedAt;
    }

    /** A heartbeat sent at {@code sentAt} was acknowledged. */
    synchronized void renewed(Instant sentAt) {
        if (sentAt.isAfter(renewedAt)) {
            if (sentAt.isAfter(renewedAt.plus(lease))) {
                lapsed = true; // e.g. a frozen process whose first heartbeat after SIGCONT came back before its lease check
            }
            renewedAt = sentAt;
        }
    }

    /** Whether the lease ran out and was renewed since the last call: an outage that ended before anyone looked. */
    synchronized boolean lapsedSinceLastLook() {
        boolean was = lapsed;
        lapsed = false;
        return was;
    }

    synchronized boolean expired(Instant now) {
        return now.isAfter(renewedAt.plus(lease));
    }

    synchronized Instant renewedAt() {
        return renewedAt;
    }

    Duration length() {
        return lease;
    }
}
