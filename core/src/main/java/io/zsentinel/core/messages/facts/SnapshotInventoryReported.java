package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The complete list of a dataset's snapshots at {@code at} (sent on start and whenever it changed). */
public record SnapshotInventoryReported(ServerId server, DatasetName dataset, List<SnapshotInfo> snapshots,
                                        Instant at) implements AgentFact {
    public SnapshotInventoryReported {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(at, "at");
        snapshots = List.copyOf(snapshots == null ? List.of() : snapshots);
        for (SnapshotInfo s : snapshots) {
            if (!s.name().dataset().equals(dataset)) {
                throw new IllegalArgumentException("snapshot " + s.name() + " does not belong to " + dataset);
            }
        }
    }
}
