package io.zsentinel.failover.api;

import io.zsentinel.core.messages.Message;
import io.zsentinel.core.values.ServerId;

/** Domain events of the StorageServer aggregate. */
public interface ServerEvent extends Message {
    ServerId server();
}
