package io.zsentinel.replication.api.link;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;

/**
 * {@code failures} consecutive failures: no attempt on this link's target before {@code until}, then
 * one (half-open).
 */
public record CircuitOpened(LinkId linkId, ServerId target, int failures, Instant until, Instant at)
        implements LinkEvent {
}
