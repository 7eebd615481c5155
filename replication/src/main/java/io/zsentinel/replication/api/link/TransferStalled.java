package io.zsentinel.replication.api.link;

import java.time.Instant;
import java.util.UUID;

/**
 * The transfer's byte count has not moved since {@code lastProgressAt}: it is given up (a
 * ReplicationFailed follows); the executor should kill it.
 */
public record TransferStalled(LinkId linkId, UUID transferId, long bytes, Instant lastProgressAt, Instant at)
        implements LinkEvent {
}
