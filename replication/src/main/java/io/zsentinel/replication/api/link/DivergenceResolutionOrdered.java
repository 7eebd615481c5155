package io.zsentinel.replication.api.link;

import io.zsentinel.replication.api.Operator;

import java.time.Instant;

/** An operator consented to discard the target's divergent data: the next transfer rolls the target back to {@code rollbackTo} (target-side name; null: no common base, a full receive -F replaces the target). */
public record DivergenceResolutionOrdered(LinkId linkId, SnapshotRef rollbackTo, Operator operator, String reason, Instant at) implements LinkEvent {
}
