package io.zsentinel.replication.retention;

import java.time.Instant;
import java.util.Objects;

/** One scheduled snapshot: its class and the start of its slot (an instant, whole seconds). */
public record SnapshotSlot(SnapshotClass klass, Instant slot) {
    public SnapshotSlot {
        Objects.requireNonNull(klass, "klass");
        Objects.requireNonNull(slot, "slot");
    }

    /** The snapshot's short name, such as {@code zsentinel_daily_2026-11-25T00:00:00Z}. */
    public String shortName() {
        return SnapshotNaming.name(klass, slot);
    }
}
