package io.zsentinel.projections.audit;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.UUID;

/** One operator action as the audit log shows it: who did what to which dataset, why, and when. */
public record AuditEntry(Instant at, ServerId server, DatasetName dataset, String operator, String action,
                         String reason, UUID commandId) {
}
