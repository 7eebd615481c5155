package io.zsentinel.deploy.controller;

import io.zsentinel.deploy.replication.ServiceSwitches;
import io.zsentinel.projections.audit.AuditView;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.projections.service.RescuesView;
import io.zsentinel.projections.service.ServicesView;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;

import java.util.List;

/**
 * The in-memory views behind REST, the dashboard and the schedulers, fed by one pooled streaming processor:
 * each event is read from the store and deserialized once for all of them (a processor each read and deserialized it
 * once per view), in batches. One segment, so every view sees the events in the store's order, each event handed to
 * the views one after the other. The views keep their processing groups: health ({@link ViewProgress}) and
 * every caller still name them; their processor is {@link #NAME}.
 * <p>
 * The views live in memory, so their token does too (every start rebuilds them from the store), and the processor
 * runs without a transaction: it writes nothing to the database. A batch is handed to the views again after a
 * failure in one of them; each view applies a redelivered event once (by guid, command id or sequence number).
 */
final class ViewsProcessor {
    /** The processor's name: its metrics are tagged {@code processorName="views"}. */
    static final String NAME = "views";
    /**
     * Events per batch: the views apply each event as it comes, the batch only spaces out the processor's unit of
     * work and token update; their position (health) moves at the end of each batch.
     */
    static final int BATCH_SIZE = 100;
    /** The views' processing groups, all assigned to {@link #NAME}. */
    static final List<String> GROUPS = List.of(SnapshotInventoryView.PROCESSING_GROUP, FleetView.PROCESSING_GROUP,
            AuditView.PROCESSING_GROUP, ReplicationLinkView.PROCESSING_GROUP, ServicesView.PROCESSING_GROUP);

    private ViewsProcessor() {
    }

    /**
     * Registers the processor, its in-memory token store and the views on {@code ep}; {@code switches} (the services'
     * switches replication follows) and {@code rescues} (what rejoins kept) with the services view, in its processing
     * group.
     */
    static EventProcessingConfigurer register(EventProcessingConfigurer ep, SnapshotInventoryView inventory,
                                              FleetView fleet, AuditView audit, ReplicationLinkView links,
                                              ServicesView services, ServiceSwitches switches, RescuesView rescues) {
        ep.registerPooledStreamingEventProcessor(NAME, Configuration::eventStore,
                        (c, b) -> b.initialSegmentCount(1).batchSize(BATCH_SIZE)
                                .transactionManager(NoTransactionManager.INSTANCE))
                .registerTokenStore(NAME, c -> new InMemoryTokenStore());
        GROUPS.forEach(group -> ep.assignProcessingGroup(group, NAME));
        return ep.registerEventHandler(c -> inventory)
                .registerEventHandler(c -> fleet)
                .registerEventHandler(c -> audit)
                .registerEventHandler(c -> links)
                .registerEventHandler(c -> services)
                .registerEventHandler(c -> switches)
                .registerEventHandler(c -> rescues);
    }
}
