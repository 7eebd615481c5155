package io.zsentinel.replication.api.link;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The agent reports a transfer failed; {@code resumeToken} (nullable) is the target's receive_resume_token. */
public record RecordTransferFailed(@TargetAggregateIdentifier LinkId linkId, UUID transferId, String reason,
                                   String resumeToken, Instant at, boolean retriable) implements LinkCommand {
    public RecordTransferFailed(LinkId linkId, UUID transferId, String reason, String resumeToken, Instant at) {
        this(linkId, transferId, reason, resumeToken, at, true);
    }

    public RecordTransferFailed {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(transferId, "transferId");
        Objects.requireNonNull(at, "at");
        reason = reason == null || reason.isBlank() ? "no reason given" : reason.strip();
        resumeToken = resumeToken == null || resumeToken.isBlank() || resumeToken.equals("-") ? null : resumeToken.strip();
    }
}
