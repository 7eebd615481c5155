package io.zsentinel.replication.api;

import io.zsentinel.core.messages.Message;

/** Domain events of the Dataset aggregate (event store, then {@code zsentinel.domain-events}). */
public interface DatasetEvent extends Message {
    DatasetId id();
}
