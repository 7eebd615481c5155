package io.zsentinel.replication.api.link;

import java.time.Instant;
import java.util.UUID;

/**
 * A transfer failed (attempt {@code attempt}); the next attempt is not before {@code retryAt}. {@code
 * resumeToken} (nullable): the next attempt resumes from it.
 */
public record ReplicationFailed(LinkId linkId, UUID transferId, String reason, String resumeToken, int attempt,
                                Instant retryAt, Instant at)
        implements LinkEvent {
}
