package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.util.Objects;

/**
 * An operator orders {@code service} onto {@code to}: staleness (maxDataLoss), the primary's maintenance mode and the
 * block after an earlier failover no longer stop it; an unhealthy or failed server, or one without a copy of every
 * dataset, is still refused.
 */
public record ForceFailover(ServiceName service, ServerId to, OperatorOrder by) {
    public ForceFailover {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(by, "by");
    }
}
