package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

/** Commands handled by the StorageServer aggregate (aggregate id = server id). */
public interface ServerCommand {
    ServerId server();
}
