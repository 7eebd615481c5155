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
 * new outage (heard since) from the same one; {@code poolOutage}: that outage included a lost pool and no report
 * since shows every pool back (a server whose pool is lost keeps heartbeating: only its pools say it recovered).
 * {@code maintenance}: an operator put it in maintenance mode.
 */
public record ServerState(ServerId server, boolean registered, Map<PoolName, PoolCondition> pools, Instant declaredFailedAt,
                          Instant lastHeardWhenFailed, boolean poolOutage, boolean maintenance) {
    public ServerState {
        pools = Collections.unmodifiableMap(new TreeMap<>(pools));
    }

    public static ServerState initial(ServerId server) {
        return new ServerState(server, false, Map.of(), null, null, false, false);
    }

    ServerState registeredNow() {
        return new ServerState(server, true, pools, declaredFailedAt, lastHeardWhenFailed, poolOutage, maintenance);
    }

    ServerState with(PoolCondition condition) {
        Map<PoolName, PoolCondition> copy = new TreeMap<>(pools);
        copy.put(condition.pool(), condition);
        boolean stillLost = poolOutage && copy.values().stream().anyMatch(c -> c.health().lost());
        return new ServerState(server, registered, copy, declaredFailedAt, lastHeardWhenFailed, stillLost, maintenance);
    }

    ServerState failedAt(Instant at, Instant lastHeard, boolean poolLost) {
        return new ServerState(server, registered, pools, at, lastHeard, poolLost, maintenance);
    }

    /**
     * Whether a server last heard at {@code lastHeard} came back since its last declared outage: heard after the heartbeat
     * that outage followed (both its agent's clock), or, that one unknown, after the declaration; and, when a lost pool
     * was part of it, with its pools reported back since.
     */
    boolean returnedSinceDeclaredFailed(Instant lastHeard) {
        if (declaredFailedAt == null) {
            return true;
        }
        return !poolOutage && lastHeard != null
                && lastHeard.isAfter(lastHeardWhenFailed != null ? lastHeardWhenFailed : declaredFailedAt);
    }

    ServerState inMaintenance(boolean on) {
        return new ServerState(server, registered, pools, declaredFailedAt, lastHeardWhenFailed, poolOutage, on);
    }
}
