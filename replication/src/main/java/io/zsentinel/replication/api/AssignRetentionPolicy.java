package io.zsentinel.replication.api;

import io.zsentinel.replication.retention.RetentionPolicy;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/** The configured policy for this dataset ({@code null}: none, zsentinel only records its snapshots). */
public record AssignRetentionPolicy(@TargetAggregateIdentifier DatasetId id, RetentionPolicy policy, Instant at)
        implements DatasetCommand {
    public AssignRetentionPolicy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
    }
}
