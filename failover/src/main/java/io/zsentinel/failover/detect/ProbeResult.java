package io.zsentinel.failover.detect;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether {@code observer}'s agent could reach {@code target} at {@code at} (e.g. the standby over the replication
 * transport): the second opinion that tells a dead server from one only the controller cannot hear.
 */
public record ProbeResult(ServerId observer, ServerId target, boolean reachable, Instant at) {
    public ProbeResult {
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(at, "at");
        if (observer.equals(target)) {
            throw new IllegalArgumentException("a probe of " + target + " by itself says nothing independent of its heartbeats");
        }
    }
}
