package io.zsentinel.replication.api.link;

import io.zsentinel.core.values.Guid;
import io.zsentinel.replication.api.DatasetId;

import java.time.Instant;

/**
 * The link left the configuration: its base {@code releasedBase} (nullable: it had none) is no longer
 * protected on {@code source} by this link, and it is shown no more. Configured again, it carries on
 * from whatever the two sides then have in common.
 */
public record LinkRetired(LinkId linkId, DatasetId source, Guid releasedBase, String reason, Instant at)
        implements LinkEvent {
    /** The holder of the protection this link placed (as in {@link BaseChanged#holder()}). */
    public String holder() {
        return linkId.toString();
    }
}
