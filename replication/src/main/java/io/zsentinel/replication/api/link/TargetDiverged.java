package io.zsentinel.replication.api.link;

import java.time.Instant;
import java.util.List;

/**
 * The target holds data the source lacks ({@code targetOnly}, by guid, with target-side names) or was
 * written to: the link stops until an operator resolves it. {@code commonBase}: the source's copy,
 * nullable.
 */
public record TargetDiverged(LinkId linkId, String reason, SnapshotRef commonBase, List<SnapshotRef> targetOnly,
                             Instant at)
        implements LinkEvent {
}
