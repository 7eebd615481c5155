package io.zsentinel.projections.axon;

import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.failover.api.ServerRegistered;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.inventory.SnapshotRow;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.zsentinel.projections.Events.A;
import static io.zsentinel.projections.Events.A_VM1;
import static io.zsentinel.projections.Events.T0;
import static io.zsentinel.projections.Events.VM1;
import static io.zsentinel.projections.Events.pool;
import static io.zsentinel.projections.Events.recorded;
import static io.zsentinel.projections.Events.registered;
import static io.zsentinel.projections.Events.renamed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The views behind real pooled streaming processors, registered the way the controller does it. */
class ViewsOnAxonTest {
    private final SnapshotInventoryView inventory = new SnapshotInventoryView();
    private final FleetView fleet = new FleetView(Clock.systemUTC(), new FailureDetector(DetectorSettings.DEFAULTS));
    private Configuration axon;

    @BeforeAll
    static void noUpdateChecker() {
        System.setProperty("axoniq.update-checker.disabled", "true");
    }

    @BeforeEach
    void startAxon() {
        axon = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> JacksonSerializer.defaultSerializer())
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .eventProcessing(ep -> ep
                        .registerPooledStreamingEventProcessor(SnapshotInventoryView.PROCESSING_GROUP)
                        .registerPooledStreamingEventProcessor(FleetView.PROCESSING_GROUP)
                        .registerEventHandler(c -> inventory)
                        .registerEventHandler(c -> fleet))
                .start();
    }

    @AfterEach
    void stopAxon() {
        axon.shutdown();
    }

    @Test
    void processorsFeedTheViewsAndAResetReplaysWithoutDoubling() {
        publish("Dataset", A_VM1.toString(), registered(A_VM1), recorded(A_VM1, "b", 20, false),
                recorded(A_VM1, "a", 10, true), renamed(A_VM1, 20, "b", "b2"));
        publish("StorageServer", A.value(), new ServerRegistered(A, T0),
                pool(A, "primary", PoolHealth.DEGRADED, 50, T0));

        await().atMost(Duration.ofSeconds(120)).until(() -> inventory.eventsApplied() == 4);
        await().atMost(Duration.ofSeconds(120)).until(() -> !fleet.servers().isEmpty()
                && !fleet.servers().get(0).pools().isEmpty());
        List<SnapshotRow> rows = inventory.snapshots(VM1, Optional.empty());
        assertEquals(List.of("a", "b2"), rows.stream().map(SnapshotRow::shortName).toList());
        assertTrue(inventory.lastEventAt().isPresent(), "the message timestamp reached the @Timestamp parameter");
        assertEquals(PoolHealth.DEGRADED, fleet.servers().get(0).pools().get(0).health());

        // A snapshot the event store never saw: only a reset followed by a replay removes it.
        inventory.on(recorded(A_VM1, "ghost", 30, false), T0);
        assertEquals(5, inventory.eventsApplied());
        PooledStreamingEventProcessor processor = axon.eventProcessingConfiguration()
                .eventProcessor(SnapshotInventoryView.PROCESSING_GROUP, PooledStreamingEventProcessor.class)
                .orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();

        await().atMost(Duration.ofSeconds(120)).until(() -> inventory.eventsApplied() == 4
                && inventory.snapshots(VM1, Optional.empty()).equals(rows));
    }

    private void publish(String type, String aggregateId, Object... payloads) {
        for (int seq = 0; seq < payloads.length; seq++) {
            axon.eventBus().publish(new GenericDomainEventMessage<>(type, aggregateId, seq, payloads[seq]));
        }
    }
}
