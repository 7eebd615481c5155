package io.zsentinel.replication.api.link;

import io.zsentinel.core.values.Guid;
import io.zsentinel.replication.api.DatasetId;

import java.time.Instant;

/**
 * The link's common base moved: the controller protects {@code newBase} on the source dataset
 * (ProtectSnapshot BASE, holder = {@link #holder()}) and then releases {@code oldBase} (nullable) for
 * the same holder only, so links to other targets never release each other's base.
 */
public record BaseChanged(LinkId linkId, DatasetId source, Guid oldBase, SnapshotRef newBase, Instant at)
        implements LinkEvent {
    /** The protection holder on the source dataset: one per link, hence one per target. */
    public String holder() {
        return linkId.toString();
    }
}
