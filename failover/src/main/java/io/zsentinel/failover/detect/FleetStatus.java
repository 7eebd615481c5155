package io.zsentinel.failover.detect;

import java.util.Objects;

/**
 * Whether the controller can judge its servers at all. Unknown while its own connection to Kafka is down or has
 * just come back, and when every server it has heard is silent at once: that is an outage between the servers
 * and the controller, not the failure of every server, so no server is failed then.
 */
public record FleetStatus(boolean known, String reason) {
    public FleetStatus {
        Objects.requireNonNull(reason, "reason");
    }

    static FleetStatus judged() {
        return new FleetStatus(true, "at least one server heard in time");
    }

    static FleetStatus unknown(String reason) {
        return new FleetStatus(false, reason);
    }
}
