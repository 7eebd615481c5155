package io.zsentinel.failover.api;

import io.zsentinel.core.messages.Message;
import io.zsentinel.core.values.ServerId;

/**
 * Domain events of the rejoin of a former primary to one service (aggregate id {@link #rejoinId}: one per service
 * and server, so that a later failover's rejoin of the same server carries on the same history).
 */
public interface RejoinEvent extends Message {
    ServiceName service();

    ServerId server();

    /** The aggregate id of the rejoins of {@code server} to {@code service}. */
    static String rejoinId(ServiceName service, ServerId server) {
        return service.value() + "@" + server.value();
    }
}
