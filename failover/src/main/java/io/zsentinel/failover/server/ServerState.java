package io.zsentinel.failover.server;

import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.PoolCondition;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the controller knows of one storage server. {@code declaredFailedAt}: when it was last declared failed, null
 * if never; {@code lastHeardWhenFailed}: its last heartbeat before that outage (null: not known), which tells a
 * new outage (heard since) from the same one. {@code maintenance}: an operator put it in maintenance mode.
 */
public record ServerState(ServerId server, boolean registered, Map<PoolName, PoolCondition> pools, Instant declaredFailedAt,
                          Instant lastHeardWhenFailed, boolean maintenance) {
    public ServerState {
        pools = Collections.unmodifiableMap(new TreeMap<>(pools));
    }

    public static ServerState initial(ServerId server) {
        return new ServerState(server, false, Map.of(), null, null, false);
    }

    ServerState registeredNow() {
        return new ServerState(server, true, pools, declaredFailedAt, lastHeardWhenFailed, maintenance);
    }

    ServerState with(PoolCondition condition) {
        Map<PoolName, PoolCondition> copy = new TreeMap<>(pools);
        copy.put(condition.pool(), condition);
        return new ServerState(server, registered, copy, declaredFailedAt, lastHeardWhenFailed, maintenance);
    }

    ServerState failedAt(Instant at, Instant lastHeard) {
        return new ServerState(server, registered, pools, at, lastHeard, maintenance);
    }

    /**
     * Whether a server last heard at {@code lastHeard} came back since its last declared outage: heard after the heartbeat
     * that outage followed (both its agent's clock), or, that one unknown, after the declaration.
     */
    boolean returnedSinceDeclaredFailed(Instant lastHeard) {
        if (declaredFailedAt == null) {
            return true;
        }
        return lastHeard != null && lastHeard.isAfter(lastHeardWhenFailed != null ? lastHeardWhenFailed : declaredFailedAt);
    }

    ServerState inMaintenance(boolean on) {
        return new ServerState(server, registered, pools, declaredFailedAt, lastHeardWhenFailed, on);
    }
}
