package io.zsentinel.replication.api;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Bring the dataset's recorded snapshots in line with a complete inventory observed at {@code observedAt}. */
public record ReconcileInventory(@TargetAggregateIdentifier DatasetId id, List<SnapshotInfo> snapshots,
                                 Instant observedAt, UUID sourceMessageId) implements DatasetCommand {
    public ReconcileInventory {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(observedAt, "observedAt");
        snapshots = List.copyOf(snapshots);
    }
}
