package io.zsentinel.replication.api;

import io.zsentinel.core.values.Guid;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Objects;

/**
 * {@code holder} (a replication link) needs this snapshot. BASE: it is the link's common base and
 * is never pruned. AWAITING: the target has not received it yet; count rules keep it, but the usage
 * threshold may still prune it (so a dead offsite link cannot fill the pool), saying which target
 * loses its incremental base.
 */
public record ProtectSnapshot(@TargetAggregateIdentifier DatasetId id, Guid guid, String holder, ProtectionKind kind)
        implements DatasetCommand {
    public ProtectSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(kind, "kind");
    }
}
