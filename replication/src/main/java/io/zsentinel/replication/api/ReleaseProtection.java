package io.zsentinel.replication.api;

import io.zsentinel.core.values.Guid;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Objects;

/** {@code holder} no longer needs the snapshot. */
public record ReleaseProtection(@TargetAggregateIdentifier DatasetId id, Guid guid, String holder)
        implements DatasetCommand {
    public ReleaseProtection {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(holder, "holder");
    }
}
