package io.zsentinel.replication.api.link;

import io.zsentinel.replication.api.Operator;

import java.time.Instant;

/** An operator asked for a transfer at the next tick, interval and backoff notwithstanding. */
public record SyncRequested(LinkId linkId, Operator operator, String reason, Instant at) implements LinkEvent {
}
