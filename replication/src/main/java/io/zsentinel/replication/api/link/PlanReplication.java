package io.zsentinel.replication.api.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The controller's tick for one link, with both sides' snapshot inventories from its views and
 * whether the target was written to since its newest snapshot ({@code written} > 0).
 */
public record PlanReplication(@TargetAggregateIdentifier LinkId linkId, List<SnapshotInfo> sourceSnapshots,
                              List<SnapshotInfo> targetSnapshots, boolean targetWritten, Instant now)
        implements LinkCommand {
    public PlanReplication {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(now, "now");
        sourceSnapshots = List.copyOf(sourceSnapshots);
        targetSnapshots = List.copyOf(targetSnapshots);
    }
}
