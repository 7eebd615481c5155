package io.zsentinel.projections.audit;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.UUID;

/**
 * One operator action as the audit log shows it: who did what to which dataset, why, when, and how it
 * went. {@code outcome} is its operation's status ({@code ordered}, {@code succeeded}, {@code failed})
 * or {@value #RECORDED} for an action that orders nothing from an agent (a release, a link command);
 * {@code outcomeDetail} is the agent's report or failure reason. Kept with the entry, so it outlives
 * the operation in the (separately bounded) operations list.
 */
public record AuditEntry(Instant at, ServerId server, DatasetName dataset, String operator, String action,
                         String reason, UUID commandId, String outcome, String outcomeDetail) {
    public static final String RECORDED = "recorded";

    AuditEntry withOutcome(Operation op) {
        return new AuditEntry(at, server, dataset, operator, action, reason, commandId, op.status(), op.detail());
    }
}
