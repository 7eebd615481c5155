package io.zsentinel.failover.api;

import io.zsentinel.core.messages.Message;

/** Domain events of a service's failover (the saga's, keyed by service). */
public interface FailoverEvent extends Message {
    ServiceName service();
}
