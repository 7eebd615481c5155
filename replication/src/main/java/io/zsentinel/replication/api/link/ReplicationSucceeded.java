package io.zsentinel.replication.api.link;

import java.time.Instant;
import java.util.UUID;

/** The target received {@code newBase} (source-side name): it is now the link's common base. */
public record ReplicationSucceeded(LinkId linkId, UUID transferId, SnapshotRef newBase, long bytes, Instant at)
        implements LinkEvent {
}
