package io.zsentinel.failover.server;

import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.PoolCondition;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** What the controller knows of one storage server. */
public record ServerState(ServerId server, boolean registered, Map<PoolName, PoolCondition> pools) {
    public ServerState {
        pools = Collections.unmodifiableMap(new TreeMap<>(pools));
    }

    public static ServerState initial(ServerId server) {
        return new ServerState(server, false, Map.of());
    }

    ServerState registeredNow() {
        return new ServerState(server, true, pools);
    }

    ServerState with(PoolCondition condition) {
        Map<PoolName, PoolCondition> copy = new TreeMap<>(pools);
        copy.put(condition.pool(), condition);
        return new ServerState(server, registered, copy);
    }
}
