package io.zsentinel.replication.api;

import io.zsentinel.core.messages.MessageTypes;

/** Domain events of this module as they appear on {@code zsentinel.domain-events}. */
public final class ReplicationMessages {
    private ReplicationMessages() {
    }

    public static MessageTypes types() {
        return new MessageTypes()
                .register(DatasetRegistered.class, 1)
                .register(SnapshotRecorded.class, 1)
                .register(SnapshotRenamed.class, 1)
                .register(SnapshotRemoved.class, 1);
    }
}
