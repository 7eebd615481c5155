package io.zsentinel.replication.api.link;

import io.zsentinel.replication.api.DatasetId;

import java.time.Duration;
import java.time.Instant;

/** The link exists: {@code source} replicates to {@code target} every {@code interval}, retrying by {@code policy}. */
public record ReplicationLinkEstablished(LinkId linkId, DatasetId source, DatasetId target, Duration interval,
                                         LinkPolicy policy, Instant at)
        implements LinkEvent {
}
