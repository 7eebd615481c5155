package io.zsentinel.replication.api.link;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The agent reports {@code bytes} sent so far for a transfer. */
public record RecordTransferProgress(@TargetAggregateIdentifier LinkId linkId, UUID transferId, long bytes, Instant at)
        implements LinkCommand {
    public RecordTransferProgress {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(transferId, "transferId");
        Objects.requireNonNull(at, "at");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes " + bytes + " is negative");
        }
    }
}
