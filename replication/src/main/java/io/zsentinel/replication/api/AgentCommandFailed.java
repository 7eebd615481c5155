package io.zsentinel.replication.api;

import java.time.Instant;
import java.util.UUID;

/** The agent refused or failed a command of this dataset; {@code reason} is written for the operator. */
public record AgentCommandFailed(DatasetId id, UUID commandId, String commandType, String reason, Instant at)
        implements DatasetEvent {
}
