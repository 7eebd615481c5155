package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.messages.facts.PoolHealthReported;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;

/**
 * Facts the controller also keeps in memory, as they arrive, because they come too often to be
 * events (heartbeats, unchanged usage) or because their order matters (a usage report that arrives
 * after a destroy fact of the same server was taken after the destroy: facts of one server are
 * handled in order).
 */
public interface LiveFacts {
    /** A heartbeat, with the agent's latest probes of its peers (the liveness path). */
    void heartbeat(AgentHeartbeat heartbeat);

    /** A pool report for the pool usage, in order with the server's destroy facts (the ordered path). */
    void poolReported(PoolHealthReported report);

    /** A pool report for the failure detector, as soon as it arrives (the liveness path). */
    void poolHealth(PoolHealthReported report);

    void snapshotDestroyed(ServerId server, Guid guid);

    /** The agent refused or failed a command. */
    void commandRejected(CommandRejected rejected);

    /** A dataset's inventory report, for what it says beyond snapshots (bookmarks, written). */
    void inventoryReported(SnapshotInventoryReported report);
}
