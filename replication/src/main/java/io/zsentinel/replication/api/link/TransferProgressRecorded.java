package io.zsentinel.replication.api.link;

import java.time.Instant;
import java.util.UUID;

/** The transfer in flight moved: {@code bytes} sent so far (recorded only when the count grew). */
public record TransferProgressRecorded(LinkId linkId, UUID transferId, long bytes, Instant at) implements LinkEvent {
}
