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
                .register(SnapshotRemoved.class, 1)
                .register(SnapshotHoldsChanged.class, 1)
                .register(RetentionPolicyChanged.class, 1)
                .register(SnapshotScheduled.class, 1)
                .register(SnapshotPruned.class, 1)
                .register(SnapshotProtected.class, 1)
                .register(ProtectionReleased.class, 1)
                .register(OperatorActionRecorded.class, 1)
                .register(CheckpointOrdered.class, 1)
                .register(CheckpointReleased.class, 1)
                .register(RollbackOrdered.class, 1)
                .register(RestoreOrdered.class, 1)
                .register(AgentCommandSucceeded.class, 1)
                .register(AgentCommandFailed.class, 1);
    }
}
