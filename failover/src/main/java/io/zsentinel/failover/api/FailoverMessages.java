package io.zsentinel.failover.api;

import io.zsentinel.core.messages.MessageTypes;

/** Domain events of this module as they appear on {@code zsentinel.domain-events}. */
public final class FailoverMessages {
    private FailoverMessages() {
    }

    public static MessageTypes types() {
        return new MessageTypes()
                .register(ServerRegistered.class, 1)
                .register(PoolHealthChanged.class, 1);
    }
}
