package io.zsentinel.replication.api.link;

import io.zsentinel.replication.api.Operator;

import java.time.Instant;

/**
 * An operator consented to discard the target's divergent data: the next transfer rolls the target
 * back to {@code rollbackTo} (find it on the target by guid; the name is the source's), or, when null
 * (no common base), replaces the target with a full receive -F. The consent is used up by a success.
 */
public record DivergenceResolutionOrdered(LinkId linkId, SnapshotRef rollbackTo, Operator operator, String reason,
                                          Instant at)
        implements LinkEvent {
}
