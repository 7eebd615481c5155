package io.zsentinel.failover.api;

import io.zsentinel.core.messages.MessageTypes;

/** Domain events of this module as they appear on {@code zsentinel.domain-events}. */
public final class FailoverMessages {
    private FailoverMessages() {
    }

    public static MessageTypes types() {
        return new MessageTypes()
                .register(ServerRegistered.class, 1)
                .register(PoolHealthChanged.class, 1)
                .register(ServerDeclaredFailed.class, 1)
                .register(MaintenanceModeChanged.class, 1)
                .register(FailoverCandidateEvaluated.class, 1)
                .register(StandbyChosen.class, 1)
                .register(FailoverRefused.class, 1)
                .register(ServiceRegistered.class, 1)
                .register(FailoverStarted.class, 1)
                .register(HookRequested.class, 1)
                .register(HookRan.class, 1)
                .register(PrimaryFenced.class, 1)
                .register(PromotionRequested.class, 1)
                .register(DatasetPromoted.class, 1)
                .register(PromotionFailed.class, 1)
                .register(ServiceSwitched.class, 1)
                .register(FailoverAborted.class, 1)
                .register(DemotionRequested.class, 1)
                .register(FormerPrimaryDemoted.class, 1)
                .register(FailoverAcknowledged.class, 1)
                .register(RejoinStarted.class, 1)
                .register(DatasetRejoinOrdered.class, 1)
                .register(DivergenceKept.class, 1)
                .register(DatasetRolledBack.class, 1)
                .register(RejoinCompleted.class, 1)
                .register(RejoinFailed.class, 1)
                .register(RescueReleaseOrdered.class, 1)
                .register(RescueReleased.class, 1)
                .register(SwitchoverStarted.class, 1)
                .register(FinalSnapshotRequested.class, 1)
                .register(FinalSnapshotTaken.class, 1)
                .register(FinalSendRequested.class, 1)
                .register(FinalSnapshotReceived.class, 1)
                .register(SwitchoverAborted.class, 1)
                .register(SwitchoverCompleted.class, 1)
                .register(PrimaryResumed.class, 1);
    }
}
