package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.MessageTypes;
import io.zsentinel.failover.api.FailoverMessages;
import io.zsentinel.replication.api.ReplicationMessages;
import io.zsentinel.replication.api.link.LinkMessages;

/** Every domain event type of the controller, for the envelope on {@code zsentinel.domain-events}. */
public final class DomainTypes {
    private DomainTypes() {
    }

    public static MessageTypes all() {
        return new MessageTypes().registerAll(ReplicationMessages.types()).registerAll(LinkMessages.types())
                .registerAll(FailoverMessages.types());
    }
}
