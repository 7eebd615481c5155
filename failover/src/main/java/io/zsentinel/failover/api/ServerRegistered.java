package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;

/** The first heartbeat or report of a storage server reached the controller. */
public record ServerRegistered(ServerId server, Instant at) implements ServerEvent {
}
