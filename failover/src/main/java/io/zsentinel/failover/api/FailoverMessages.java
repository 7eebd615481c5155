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
                .register(FailoverRefused.class, 1);
    }
}
