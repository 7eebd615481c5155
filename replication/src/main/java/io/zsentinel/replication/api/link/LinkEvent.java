package io.zsentinel.replication.api.link;

import io.zsentinel.core.messages.Message;

/** Domain events of the ReplicationLink aggregate (event store, then {@code zsentinel.domain-events}). */
public interface LinkEvent extends Message {
    LinkId linkId();
}
