package io.zsentinel.replication.api;

import java.time.Instant;
import java.util.UUID;

/** The agent carried out a command of this dataset. */
public record AgentCommandSucceeded(DatasetId id, UUID commandId, String commandType, String detail, Instant at)
        implements DatasetEvent {
}
