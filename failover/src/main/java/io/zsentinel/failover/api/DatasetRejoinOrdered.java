package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code server}'s agent is ordered (command {@code commandId}) to bring {@code dataset} back to {@code common}
 * (guid {@code commonGuid}), keeping what lies after it as {@code rescue} (null: nothing to keep).
 */
public record DatasetRejoinOrdered(ServiceName service, ServerId server, DatasetName dataset, SnapshotName common,
                                   Guid commonGuid, DatasetName rescue, long generation, UUID commandId, Instant at)
        implements RejoinEvent {
    public DatasetRejoinOrdered {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(commonGuid, "commonGuid");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(at, "at");
    }
}
