package io.zsentinel.replication.link;

import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.LinkState;
import io.zsentinel.replication.api.link.SnapshotRef;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * What a link knows: its common base (source-side ref, matched by guid), the transfer in flight,
 * the last successful transfer, its failures (the first failure's time is kept, so "failing for an
 * hour" shows whatever the counters say), and the operator's marks (paused, diverged, rollback
 * consented, sync requested), and whether it was retired (taken out of the configuration).
 * {@code state} is null until the link is established.
 */
public record ReplicationLinkState(LinkId id, Duration interval, LinkPolicy policy, LinkState state, SnapshotRef base,
                                   Transfer inFlight, Instant lastSuccessAt, Failures failures, boolean paused,
                                   Divergence divergence, boolean rollbackConsented, boolean syncRequested,
                                   boolean retired) {

    /** A transfer in flight; {@code from} null for a full send. */
    public record Transfer(UUID id, SnapshotRef from, SnapshotRef to, boolean intermediates, String resumeToken,
                           boolean rollbackTarget, int attempt, Instant startedAt, long bytes, Instant lastProgressAt) {
        Transfer progressed(long newBytes, Instant at) {
            return new Transfer(id, from, to, intermediates, resumeToken, rollbackTarget, attempt, startedAt, newBytes, at);
        }
    }

    /** Why the link stopped, and the common base a rollback would return the target to (nullable). */
    public record Divergence(String reason, SnapshotRef commonBase) {
    }

    /** Where an interrupted transfer can resume: the same from/to, with the target's token. */
    public record ResumePoint(SnapshotRef from, SnapshotRef to, boolean intermediates, String token) {
    }

    /** Consecutive failures since the last success; {@code since}: the first of them. */
    public record Failures(int consecutive, Instant since, Instant retryAt, String lastReason, ResumePoint resume) {
        public static final Failures NONE = new Failures(0, null, null, null, null);

        Failures next(String reason, Instant at, Instant nextTry, ResumePoint resumeFrom) {
            return new Failures(consecutive + 1, since == null ? at : since, nextTry, reason, resumeFrom);
        }
    }

    public static ReplicationLinkState initial(LinkId id) {
        return new ReplicationLinkState(id, null, null, null, null, null, null, Failures.NONE, false, null, false, false, false);
    }

    public boolean established() {
        return state != null;
    }

    public boolean diverged() {
        return divergence != null;
    }

    public DatasetId source() {
        return id.source();
    }

    public DatasetId target() {
        return id.target();
    }

    ReplicationLinkState established(Duration newInterval, LinkPolicy newPolicy) {
        return new ReplicationLinkState(id, newInterval, newPolicy, LinkState.INITIAL, base, inFlight, lastSuccessAt,
                failures, paused, divergence, rollbackConsented, syncRequested, retired);
    }

    ReplicationLinkState withSettings(Duration newInterval, LinkPolicy newPolicy) {
        return new ReplicationLinkState(id, newInterval, newPolicy, state, base, inFlight, lastSuccessAt,
                failures, paused, divergence, rollbackConsented, syncRequested, retired);
    }

    ReplicationLinkState withState(LinkState next) {
        return new ReplicationLinkState(id, interval, policy, next, base, inFlight, lastSuccessAt, failures, paused,
                divergence, rollbackConsented, syncRequested, retired);
    }

    /** A transfer starts: the sync request and the resume point are used up. */
    ReplicationLinkState started(Transfer transfer) {
        return new ReplicationLinkState(id, interval, policy, state, base, transfer, lastSuccessAt,
                new Failures(failures.consecutive(), failures.since(), failures.retryAt(), failures.lastReason(), null),
                paused, divergence, rollbackConsented, false, retired);
    }

    ReplicationLinkState progressed(long bytes, Instant at) {
        return new ReplicationLinkState(id, interval, policy, state, base, inFlight.progressed(bytes, at), lastSuccessAt,
                failures, paused, divergence, rollbackConsented, syncRequested, retired);
    }

    /** The target has {@code newBase}: failures are over, and so is any rollback consent (it was used). */
    ReplicationLinkState caughtUp(SnapshotRef newBase, Instant successAt) {
        return new ReplicationLinkState(id, interval, policy, state, newBase, null,
                successAt == null ? lastSuccessAt : successAt, Failures.NONE, paused, divergence, false, syncRequested, retired);
    }

    ReplicationLinkState failed(Failures next) {
        return new ReplicationLinkState(id, interval, policy, state, base, null, lastSuccessAt, next, paused,
                divergence, rollbackConsented, syncRequested, retired);
    }

    ReplicationLinkState paused(boolean pause) {
        return new ReplicationLinkState(id, interval, policy, state, base, inFlight, lastSuccessAt, failures, pause,
                divergence, rollbackConsented, syncRequested, retired);
    }

    ReplicationLinkState divergedBecause(Divergence reason) {
        return new ReplicationLinkState(id, interval, policy, state, base, inFlight, lastSuccessAt, failures, paused,
                reason, false, syncRequested, retired);
    }

    ReplicationLinkState withRollbackConsent() {
        return new ReplicationLinkState(id, interval, policy, state, base, inFlight, lastSuccessAt, failures, paused,
                null, true, syncRequested, retired);
    }

    /** Taken out of the configuration: its base is released; any later decision about it brings it back. */
    ReplicationLinkState retired(boolean retire) {
        return new ReplicationLinkState(id, interval, policy, state, retire ? null : base, inFlight, lastSuccessAt,
                failures, paused, divergence, rollbackConsented, syncRequested, retire);
    }

    ReplicationLinkState withSyncRequested() {
        return new ReplicationLinkState(id, interval, policy, state, base, inFlight, lastSuccessAt, failures, paused,
                divergence, rollbackConsented, true, retired);
    }
}
