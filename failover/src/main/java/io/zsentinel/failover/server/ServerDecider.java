package io.zsentinel.failover.server;

import io.zsentinel.failover.api.ChangeMaintenanceMode;
import io.zsentinel.failover.api.DeclareServerFailed;
import io.zsentinel.failover.api.MaintenanceModeChanged;
import io.zsentinel.failover.api.PoolCondition;
import io.zsentinel.failover.api.PoolHealthChanged;
import io.zsentinel.failover.api.RecordHeartbeat;
import io.zsentinel.failover.api.RecordPoolHealth;
import io.zsentinel.failover.api.ServerCommand;
import io.zsentinel.failover.api.ServerDeclaredFailed;
import io.zsentinel.failover.api.ServerEvent;
import io.zsentinel.failover.api.ServerRegistered;
import io.zsentinel.failover.detect.Evidence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * StorageServer rules as plain functions. Heartbeats and unchanged pool reports arrive every few
 * seconds from every server; they must not grow the event store, so only changes become events.
 */
public final class ServerDecider {
    private ServerDecider() {
    }

    public static List<ServerEvent> decide(ServerState state, ServerCommand command) {
        if (command instanceof DeclareServerFailed c) {
            if (!state.registered()) {
                throw new IllegalStateException(c.server() + " was never heard, so it cannot be declared failed");
            }
            if (state.maintenance()) {
                return List.of(); // an operator is working on it: its silence or its pools say nothing of a failure
            }
            // The detector says so on every evaluation until the server is back: one event per outage, and another
            // only once it was heard again since (it came back and failed again).
            return !state.returnedSinceDeclaredFailed(c.lastHeard()) ? List.of()
                    : List.of(new ServerDeclaredFailed(c.server(), c.evidence(), c.reason(), c.at(), c.lastHeard()));
        }
        if (command instanceof ChangeMaintenanceMode c) {
            if (!state.registered()) {
                throw new IllegalStateException(c.server() + " has never reported to this controller: check the server id");
            }
            return state.maintenance() == c.on() ? List.of() : List.of(new MaintenanceModeChanged(c.server(), c.on(), c.by(), c.at()));
        }
        List<ServerEvent> events = new ArrayList<>();
        if (!state.registered()) {
            events.add(new ServerRegistered(command.server(), at(command)));
        }
        if (command instanceof RecordPoolHealth c) {
            PoolCondition known = state.pools().get(c.condition().pool());
            if (known != null && c.condition().at().isBefore(known.at())) {
                // Observed before the condition already recorded: a redelivered or replayed report (the liveness
                // consumer reads the topic from its start once) must not record yesterday's DEGRADED again.
                return events;
            }
            if (c.condition().differsFrom(known)) {
                events.add(new PoolHealthChanged(c.server(), c.condition()));
            }
        } else if (!(command instanceof RecordHeartbeat)) {
            throw new IllegalArgumentException("unknown server command " + command.getClass().getName());
        }
        return events;
    }

    public static ServerState evolve(ServerState state, ServerEvent event) {
        if (event instanceof ServerRegistered) {
            return state.registeredNow();
        }
        if (event instanceof PoolHealthChanged e) {
            return state.with(e.condition());
        }
        if (event instanceof ServerDeclaredFailed e) {
            return state.failedAt(e.at(), e.lastHeard(), e.evidence().contains(Evidence.POOL_FAILED));
        }
        if (event instanceof MaintenanceModeChanged e) {
            return state.inMaintenance(e.on());
        }
        throw new IllegalArgumentException("unknown server event " + event.getClass().getName());
    }

    private static Instant at(ServerCommand command) {
        return command instanceof RecordHeartbeat h ? h.at() : ((RecordPoolHealth) command).condition().at();
    }
}
