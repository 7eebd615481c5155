package io.zsentinel.failover.server;

import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.PoolCondition;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the controller knows of one storage server. {@code declaredFailedAt}: when it was declared failed, null
 * while it is not (only an operator's rejoin, next issue, will clear it). {@code maintenance}: an operator put it in
 * maintenance mode.
 */
public record ServerState(ServerId server, boolean registered, Map<PoolName, PoolCondition> pools, Instant declaredFailedAt,
                          boolean maintenance) {
    public ServerState {
        pools = Collections.unmodifiableMap(new TreeMap<>(pools));
    }

    public static ServerState initial(ServerId server) {
        return new ServerState(server, false, Map.of(), null, false);
    }

    ServerState registeredNow() {
        return new ServerState(server, true, pools, declaredFailedAt, maintenance);
    }

    ServerState with(PoolCondition condition) {
        Map<PoolName, PoolCondition> copy = new TreeMap<>(pools);
        copy.put(condition.pool(), condition);
        return new ServerState(server, registered, copy, declaredFailedAt, maintenance);
    }

    ServerState failedAt(Instant at) {
        return new ServerState(server, registered, pools, at, maintenance);
    }

    ServerState inMaintenance(boolean on) {
        return new ServerState(server, registered, pools, declaredFailedAt, on);
    }
}
