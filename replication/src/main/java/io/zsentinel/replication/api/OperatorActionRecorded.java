package io.zsentinel.replication.api;

import java.time.Instant;
import java.util.UUID;

/** The audit record of an operator command: who, what, on which dataset, why, and its command id. */
public record OperatorActionRecorded(DatasetId id, Operator operator, String action, String reason, UUID commandId,
                                     Instant at) implements DatasetEvent {
}
