package io.zsentinel.replication.api.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot as a link names it: the guid is its identity, the name (on the side it was read from)
 * is for people and commands, the creation time is what replication lag is measured with.
 */
public record SnapshotRef(SnapshotName name, Guid guid, Instant created) {
    public SnapshotRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(created, "created");
    }

    public static SnapshotRef of(SnapshotInfo snapshot) {
        return snapshot == null ? null : new SnapshotRef(snapshot.name(), snapshot.guid(), snapshot.created());
    }

    @Override
    public String toString() {
        return name + " (guid " + guid + ")";
    }
}
