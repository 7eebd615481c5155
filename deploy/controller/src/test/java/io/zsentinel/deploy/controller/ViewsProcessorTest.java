package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.Json;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.ServerRegistered;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.audit.AuditView;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.inventory.SnapshotRow;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.projections.service.ServicesView;
import io.zsentinel.projections.web.HealthCheck;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotRenamed;
import io.zsentinel.replication.api.SnapshotScheduled;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.ReplicationLinkEstablished;
import io.zsentinel.replication.retention.SnapshotClass;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The views behind one pooled processor, registered as the controller registers them, on a real Axon
 * configuration (in-memory event store): all four catch up with history and with what comes after their start, each
 * sees the events in the store's order, health reports them per view, and the processor never opens a transaction.
 */
class ViewsProcessorTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final ServerId A = ServerId.of("store-a");
    private static final ServerId B = ServerId.of("store-b");
    private static final DatasetId A_VM1 = new DatasetId(A, DatasetName.of("primary/vm1"));
    private static final DatasetId B_VM1 = new DatasetId(B, DatasetName.of("backup/vm1"));
    private static final LinkId LINK = new LinkId(A_VM1, B_VM1);
    /** More events than a batch, so the views catch up over several batches. */
    private static final int SNAPSHOTS = ViewsProcessor.BATCH_SIZE * 3 + 7;

    private final Clock clock = Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC);
    private final SnapshotInventoryView inventory = new SnapshotInventoryView();
    private final FleetView fleet = new FleetView(clock, new FailureDetector(DetectorSettings.DEFAULTS));
    private final AuditView audit = new AuditView();
    private final ReplicationLinkView links = new ReplicationLinkView(clock, inventory);
    private final ServicesView services = new ServicesView();
    /** Transactions asked of the configuration's transaction manager: the views' processor asks for none. */
    private final AtomicInteger transactions = new AtomicInteger();
    private final List<Configuration> started = new ArrayList<>();

    @BeforeAll
    static void noUpdateChecker() {
        System.setProperty("axoniq.update-checker.disabled", "true");
    }

    @AfterEach
    void shutDown() {
        started.forEach(Configuration::shutdown);
    }

    @Test
    void theViewsCatchUpThroughOneProcessorInOrderAndHealthSaysWhenTheyAreAtTheHead() {
        InMemoryEventStorageEngine store = new InMemoryEventStorageEngine();
        Configuration before = start(store, false);
        long seq = 0;
        publish(before, "Dataset", A_VM1.toString(), seq++, new DatasetRegistered(A_VM1, T0));
        for (int i = 1; i <= SNAPSHOTS; i++) {
            publish(before, "Dataset", A_VM1.toString(), seq++, recorded(i));
        }
        publish(before, "StorageServer", A.value(), 0, new ServerRegistered(A, T0));
        publish(before, "ReplicationLink", LINK.toString(), 0, new ReplicationLinkEstablished(LINK, A_VM1, B_VM1,
                Duration.ofMinutes(15), LinkPolicy.defaults(), T0));
        UUID order = UUID.nameUUIDFromBytes("order".getBytes());
        publish(before, "Dataset", A_VM1.toString(), seq++, new SnapshotScheduled(A_VM1, SnapshotClass.values()[0],
                T0, A_VM1.dataset().snapshot("ordered"), order, T0));
        // Renamed after it was recorded: only a view that sees the events in order shows the new name.
        publish(before, "Dataset", A_VM1.toString(), seq++, new SnapshotRenamed(A_VM1, new Guid(1),
                A_VM1.dataset().snapshot("s1"), A_VM1.dataset().snapshot("first"), T0));

        Configuration axon = start(store, true);
        ViewProgress progress = new ViewProgress(axon, ViewsProcessor.GROUPS);
        HealthCheck.Result ready = await().atMost(Duration.ofSeconds(60))
                .until(progress::check, HealthCheck.Result::up);
        assertTrue(ready.detail().startsWith(ViewsProcessor.GROUPS.size() + " views at the event store's head"), ready.detail());

        Map<String, EventProcessor> processors = axon.eventProcessingConfiguration().eventProcessors();
        assertEquals(List.of(ViewsProcessor.NAME), List.copyOf(processors.keySet()),
                "one processor for the views");
        assertTrue(processors.get(ViewsProcessor.NAME) instanceof PooledStreamingEventProcessor);
        for (String group : ViewsProcessor.GROUPS) {
            assertEquals(ViewsProcessor.NAME, axon.eventProcessingConfiguration().eventProcessorByProcessingGroup(group)
                    .map(EventProcessor::getName).orElseThrow(), group);
        }
        List<SnapshotRow> rows = inventory.snapshots(A_VM1.dataset(), Optional.of(A));
        assertEquals(SNAPSHOTS, rows.size());
        assertEquals("first", rows.get(0).shortName());
        assertEquals(List.of(A), fleet.servers().stream().map(r -> r.server()).toList());
        assertEquals(List.of(LINK), links.linkIds());
        assertTrue(audit.operation(order).isPresent(), "the audit view saw the order");

        // What comes after the start: health is down until the views have it, then up at the new head.
        publish(axon, "StorageServer", B.value(), 0, new ServerRegistered(B, T0));
        await().atMost(Duration.ofSeconds(60)).until(() -> fleet.servers().size() == 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> progress.check().up());
        assertEquals(0, transactions.get(), "the views' processor opened a transaction");
    }

    @Test
    void healthNamesEveryViewWhileTheProcessorHasNotStarted() {
        Configuration axon = configuration(new InMemoryEventStorageEngine()).buildConfiguration();
        HealthCheck.Result result = new ViewProgress(axon, ViewsProcessor.GROUPS).check();
        assertFalse(result.up(), result.detail());
        for (String group : ViewsProcessor.GROUPS) {
            assertTrue(result.detail().contains(group + " has not started processing"), result.detail());
        }
    }

    private Configuration start(InMemoryEventStorageEngine store, boolean withViews) {
        Configuration axon = withViews ? configuration(store).start()
                : DefaultConfigurer.defaultConfiguration(false)
                        .configureSerializer(c -> JacksonSerializer.builder().objectMapper(Json.newMapper()).build())
                        .configureEmbeddedEventStore(c -> store).start();
        started.add(axon);
        return axon;
    }

    private org.axonframework.config.Configurer configuration(InMemoryEventStorageEngine store) {
        return DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> JacksonSerializer.builder().objectMapper(Json.newMapper()).build())
                .configureTransactionManager(c -> new CountingTransactions())
                .configureEmbeddedEventStore(c -> store)
                .eventProcessing(ep -> ViewsProcessor.register(ep, inventory, fleet, audit, links, services,
                        new io.zsentinel.deploy.replication.ServiceSwitches(),
                        new io.zsentinel.projections.service.RescuesView()));
    }

    private static SnapshotRecorded recorded(int txg) {
        SnapshotInfo info = new SnapshotInfo(A_VM1.dataset().snapshot("s" + txg), new Guid(txg), txg,
                T0.plusSeconds(txg), 1000, 4000);
        return new SnapshotRecorded(A_VM1, info, null, T0.plusSeconds(txg));
    }

    private static void publish(Configuration axon, String type, String aggregate, long seq, Object payload) {
        axon.eventBus().publish(new GenericDomainEventMessage<>(type, aggregate, seq, payload));
    }

    private final class CountingTransactions implements TransactionManager {
        @Override
        public Transaction startTransaction() {
            transactions.incrementAndGet();
            return new Transaction() {
                @Override
                public void commit() {
                }

                @Override
                public void rollback() {
                }
            };
        }
    }
}
