package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

/** A pool's health, capacity or error counts changed. */
public record PoolHealthChanged(ServerId server, PoolCondition condition) implements ServerEvent {
}
