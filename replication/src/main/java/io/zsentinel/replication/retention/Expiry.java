package io.zsentinel.replication.retention;

import java.util.Objects;

/** A snapshot retention would destroy, and why (for the audit log and the operator). */
public record Expiry(RetainedSnapshot snapshot, String reason) {
    public Expiry {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(reason, "reason");
    }
}
