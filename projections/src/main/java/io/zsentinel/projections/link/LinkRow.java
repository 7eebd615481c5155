package io.zsentinel.projections.link;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkState;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One replication link as operators read it. {@code lastSuccessAt} comes only from a
 * ReplicationSucceeded (a caught-up inventory is not a transfer we saw succeed); {@code lagSeconds} is
 * null while nothing is replicated; {@code failingSince} is the first of the consecutive failures,
 * kept while retries are scheduled. Nested parts are null when they do not apply.
 */
public record LinkRow(@JsonIgnore LinkId linkId, Endpoint source, Endpoint target, @JsonIgnore LinkState linkState,
                      long intervalSeconds, Base base, Instant lastSuccessAt, Long lastSuccessAgeSeconds,
                      Long lagSeconds, Transfer transfer, int consecutiveFailures, Instant failingSince,
                      String lastFailureReason, Instant lastFailureAt, Instant nextRetryAt, Divergence diverged,
                      Instant circuitOpenUntil, OperatorMark paused, OperatorMark syncRequested,
                      OperatorMark resolutionOrdered) {

    public record Endpoint(String server, String dataset) {
    }

    /** The common base: source-side name, guid as decimal text (unsigned 64-bit). */
    public record Base(String name, String guid, Instant created) {
    }

    /** The transfer in flight; {@code from} null for a full send; the rate is the average since it started. */
    public record Transfer(UUID transferId, String from, String to, int attempt, boolean rollbackTarget,
                           Instant startedAt, long bytes, Instant lastProgressAt, Long bytesPerSecond) {
    }

    /** Why the link stopped, and the snapshots only the target has (target-side names). */
    public record Divergence(String reason, String commonBase, List<String> targetOnly, Instant since) {
    }

    /** Who did what, why, when: a pause, a sync request, a consent to roll the target back. */
    public record OperatorMark(String operator, String reason, Instant at) {
    }

    @JsonProperty("id")
    public String id() {
        return linkId.toString();
    }

    /** {@code in-sync}, {@code lagging}, {@code transferring}, {@code failing}, {@code diverged}, {@code paused}. */
    @JsonProperty("state")
    public String state() {
        return linkState.label();
    }

    /** Whether the circuit to the target is open right now (no attempt before {@link #circuitOpenUntil}). */
    @JsonProperty("circuitOpen")
    public boolean circuitOpen() {
        return circuitOpenUntil != null;
    }
}
