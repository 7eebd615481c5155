package io.zsentinel.deploy.replication;

import io.zsentinel.failover.api.FinalSendRequested;
import io.zsentinel.failover.api.RejoinCompleted;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.link.LinkId;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.messaging.StreamableMessageSource;

/**
 * Plans the links of a dataset as soon as it records a new snapshot, and re-plans replication as soon as a failover
 * switches a service or a former primary rejoins: the ticker alone would add up to a tick of latency.
 * <p>
 * Only snapshots recorded since the controller's start: the processor starts at the store's head and keeps its
 * token in memory (what it missed while the controller was down is the ticker's business). A token write and
 * commit per recorded snapshot in the database made it fall behind every burst of inventories; the commands a
 * snapshot leads to still commit in one transaction per event. One event per batch: the link commands of a batch
 * hold their aggregates until it commits, and the next event needs the scheduler the ticker may hold while it
 * waits for one of them.
 */
@DisallowReplay
public final class ReplicationTrigger {
    public static final String PROCESSOR = "replication-trigger";

    /** Registers the processor for {@link #PROCESSOR} (one thread, one event per batch, token in memory) and this. */
    public EventProcessingConfigurer register(EventProcessingConfigurer ep) {
        return ep.registerTrackingEventProcessor(PROCESSOR, Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken))
                .registerTokenStore(PROCESSOR, c -> new InMemoryTokenStore())
                .assignHandlerInstancesMatching(PROCESSOR, h -> h == this)
                .registerEventHandler(c -> this);
    }

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

    @EventHandler
    public void on(ServiceSwitched e) {
        LinkScheduler s = scheduler;
        if (s != null) {
            s.serviceSwitched(e);
        }
    }

    /** A switchover's final snapshot goes to the standby now, not at its link's next interval. */
    @EventHandler
    public void on(FinalSendRequested e) {
        LinkScheduler s = scheduler;
        if (s != null) {
            s.syncNow(new LinkId(new DatasetId(e.from(), e.snapshot().dataset()), new DatasetId(e.to(), e.copy())),
                    "switchover " + e.failover() + " of " + e.service() + ": its final snapshot " + e.snapshot());
        }
    }

    @EventHandler
    public void on(RejoinCompleted e) {
        LinkScheduler s = scheduler;
        if (s != null) {
            s.rejoined(e);
        }
    }
}
