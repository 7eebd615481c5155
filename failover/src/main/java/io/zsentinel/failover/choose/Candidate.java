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
 * guid (from the replication links; a dataset without one is absent). {@code copies}: the name of each dataset's copy on
 * this standby (a link's target dataset, such as {@code standby/vm1} for {@code tank/vm1}); a dataset absent there
 * has a copy of the same name.
 */
public record Candidate(ServerId server, Health health, boolean maintenance, Map<DatasetName, CommonSnapshot> commonSnapshots,
                        Map<DatasetName, DatasetName> copies) {
    public Candidate {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(health, "health");
        commonSnapshots = Map.copyOf(commonSnapshots);
        copies = copies == null ? Map.of() : Map.copyOf(copies);
        commonSnapshots.forEach((dataset, common) -> {
            if (!common.dataset().equals(dataset)) {
                throw new IllegalArgumentException("the common snapshot of " + dataset + " is " + common.snapshot());
            }
        });
    }

    /** A standby whose copies have the primary's dataset names. */
    public Candidate(ServerId server, Health health, boolean maintenance, Map<DatasetName, CommonSnapshot> commonSnapshots) {
        this(server, health, maintenance, commonSnapshots, Map.of());
    }

    /** A standby the controller knows nothing of: never heard, no copy. */
    public static Candidate unheard(ServerId server) {
        return new Candidate(server, Health.UNKNOWN, false, Map.of());
    }

    /** The name of the primary's {@code dataset} on this standby. */
    public DatasetName copyOf(DatasetName dataset) {
        return copies.getOrDefault(dataset, dataset);
    }
}
