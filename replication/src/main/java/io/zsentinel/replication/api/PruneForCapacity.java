package io.zsentinel.replication.api;

import io.zsentinel.core.values.Guid;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/**
 * The pool of this dataset is {@code usagePercent} full and {@code guid} is the pool's oldest
 * candidate: prune it if this dataset's rules allow. The handler answers with a {@link PruneDecision}.
 */
public record PruneForCapacity(@TargetAggregateIdentifier DatasetId id, Guid guid, int usagePercent, Instant at)
        implements DatasetCommand {
    public PruneForCapacity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(at, "at");
    }
}
