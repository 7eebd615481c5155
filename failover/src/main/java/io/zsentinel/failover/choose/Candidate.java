package io.zsentinel.failover.choose;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.CommonSnapshot;
import io.zsentinel.failover.detect.Health;

import java.util.Map;
import java.util.Objects;

/**
 * What the controller knows of one standby when a failover is decided: its health and maintenance mode (the
 * failure detector's verdict) and, per dataset of the service, the newest snapshot it shares with the primary by
 * guid (from the replication links; a dataset without one is absent).
 */
public record Candidate(ServerId server, Health health, boolean maintenance, Map<DatasetName, CommonSnapshot> commonSnapshots) {
    public Candidate {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(health, "health");
        commonSnapshots = Map.copyOf(commonSnapshots);
        commonSnapshots.forEach((dataset, common) -> {
            if (!common.dataset().equals(dataset)) {
                throw new IllegalArgumentException("the common snapshot of " + dataset + " is " + common.snapshot());
            }
        });
    }

    /** A standby the controller knows nothing of: never heard, no copy. */
    public static Candidate unheard(ServerId server) {
        return new Candidate(server, Health.UNKNOWN, false, Map.of());
    }
}
