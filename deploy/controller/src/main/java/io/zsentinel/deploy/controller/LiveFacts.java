package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.messages.facts.PoolHealthReported;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;

/**
 * Facts the controller also keeps in memory, as they arrive, because they come too often to be
 * events (heartbeats, unchanged usage) or because their order matters (a usage report that arrives
 * after a destroy fact of the same server was taken after the destroy: facts of one server are
 * handled in order).
 */
public interface LiveFacts {
    void heartbeat(ServerId server, Instant at);

    void poolReported(PoolHealthReported report);

    void snapshotDestroyed(ServerId server, Guid guid);

    /** The agent refused or failed a command. */
    void commandRejected(CommandRejected rejected);

    /** A dataset's inventory report, for what it says beyond snapshots (bookmarks, written). */
    void inventoryReported(SnapshotInventoryReported report);
}
