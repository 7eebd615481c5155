package io.zsentinel.replication.retention;

import java.util.Objects;

/** A snapshot a rule wanted to destroy but {@link Protection} kept, and why. */
public record Blocked(RetainedSnapshot snapshot, String reason) {
    public Blocked {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(reason, "reason");
    }
}
