package io.zsentinel.deploy.config;

import java.util.List;

/**
 * {@code retention:} in controller.yaml: how often the controller evaluates schedules and usage,
 * and the policies, first match wins. A dataset no policy matches is only recorded, never
 * snapshotted or pruned by zsentinel.
 */
public record RetentionConfig(Integer tickSeconds, List<PolicyRule> policies) {
    public RetentionConfig {
        tickSeconds = tickSeconds == null ? 30 : tickSeconds;
        if (tickSeconds < 1 || tickSeconds > 3600) {
            throw new IllegalArgumentException("retention.tickSeconds must be 1..3600, not " + tickSeconds);
        }
        policies = policies == null ? List.of() : List.copyOf(policies);
    }

    public static RetentionConfig none() {
        return new RetentionConfig(null, null);
    }
}
