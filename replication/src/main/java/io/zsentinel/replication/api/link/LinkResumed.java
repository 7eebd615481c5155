package io.zsentinel.replication.api.link;

import io.zsentinel.replication.api.Operator;

import java.time.Instant;

/** An operator resumed the link. */
public record LinkResumed(LinkId linkId, Operator operator, String reason, Instant at) implements LinkEvent {
}
