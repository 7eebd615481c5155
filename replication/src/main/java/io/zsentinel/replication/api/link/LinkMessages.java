package io.zsentinel.replication.api.link;

import io.zsentinel.core.messages.MessageTypes;

/** The link's domain events as they appear on {@code zsentinel.domain-events}. */
public final class LinkMessages {
    private LinkMessages() {
    }

    public static MessageTypes types() {
        return new MessageTypes()
                .register(ReplicationLinkEstablished.class, 1)
                .register(LinkSettingsChanged.class, 1)
                .register(ReplicationScheduled.class, 1)
                .register(TransferProgressRecorded.class, 1)
                .register(ReplicationSucceeded.class, 1)
                .register(ReplicationFailed.class, 1)
                .register(TransferStalled.class, 1)
                .register(TargetDiverged.class, 1)
                .register(TargetCaughtUp.class, 1)
                .register(CircuitOpened.class, 1)
                .register(LinkPaused.class, 1)
                .register(LinkResumed.class, 1)
                .register(SyncRequested.class, 1)
                .register(DivergenceResolutionOrdered.class, 1)
                .register(LinkStateChanged.class, 1)
                .register(BaseChanged.class, 1)
                .register(LinkRetired.class, 1);
    }
}
