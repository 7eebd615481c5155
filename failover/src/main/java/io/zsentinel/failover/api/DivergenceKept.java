package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@code dataset} on {@code server} held after {@code common} is kept as {@code rescue} (with all its snapshots:
 * {@code after}, and one of what was written after the newest), restorable per file, destroyed only by an operator's
 * release. {@code bytesAfter}: the rejoin's estimate of its size (null: unknown on this zfs).
 */
public record DivergenceKept(ServiceName service, ServerId server, DatasetName dataset, DatasetName rescue,
                             SnapshotName common, List<String> after, Long bytesAfter, Instant at)
        implements RejoinEvent {
    public DivergenceKept {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(rescue, "rescue");
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(at, "at");
        after = List.copyOf(after);
    }
}
