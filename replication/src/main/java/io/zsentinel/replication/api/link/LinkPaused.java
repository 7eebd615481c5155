package io.zsentinel.replication.api.link;

import io.zsentinel.replication.api.Operator;

import java.time.Instant;

/** An operator paused the link. */
public record LinkPaused(LinkId linkId, Operator operator, String reason, Instant at) implements LinkEvent {
}
