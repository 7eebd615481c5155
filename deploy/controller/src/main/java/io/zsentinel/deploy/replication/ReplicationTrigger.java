package io.zsentinel.deploy.replication;

import io.zsentinel.replication.api.SnapshotRecorded;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;

/**
 * Plans the links of a dataset as soon as it records a new snapshot: the ticker alone would add up
 * to a tick of latency between a snapshot and its transfer.
 */
@DisallowReplay
public final class ReplicationTrigger {
    public static final String PROCESSOR = "replication-trigger";

    /** Set once the controller has started its scheduler; until then the ticker catches up alone. */
    private volatile LinkScheduler scheduler;

    public void startWith(LinkScheduler linkScheduler) {
        this.scheduler = linkScheduler;
    }

    @EventHandler
    public void on(SnapshotRecorded e) {
        LinkScheduler s = scheduler;
        if (s != null) {
            s.snapshotRecorded(e.id(), e.snapshot());
        }
    }
}
