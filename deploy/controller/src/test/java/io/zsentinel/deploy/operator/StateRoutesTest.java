package io.zsentinel.deploy.operator;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.ServerDeclaredFailed;
import io.zsentinel.failover.api.ServerRegistered;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.Evidence;
import io.zsentinel.projections.fleet.ServerRow;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.SnapshotRecorded;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The fleet as of an instant, replayed from an event store into fresh views (Axon's in-memory engine). */
class StateRoutesTest {
    static final Instant T0 = Instant.parse("2026-11-30T03:00:00Z");
    static final ServerId SERVER = ServerId.of("storage-01");
    static final DatasetId VM1 = new DatasetId(SERVER, DatasetName.of("tank/vm1"));

    final EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
    final StateRoutes state = new StateRoutes(() -> store, DetectorSettings.DEFAULTS);

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    private void stored(String aggregate, long sequence, Object event, Instant at) {
        store.publish(new GenericDomainEventMessage<>("Aggregate", aggregate, sequence, event, MetaData.emptyInstance(),
                UUID.randomUUID().toString(), at));
    }

    private static SnapshotInfo snapshot(String name, long guid, Instant created) {
        return new SnapshotInfo(VM1.dataset().snapshot(name), new Guid(guid), guid, created, 100, 200);
    }

    @Test
    void theFleetAsOfAnInstantHoldsWhatHappenedUpToItAndNothingAfter() {
        stored(SERVER.value(), 0, new ServerRegistered(SERVER, T0), T0);
        stored(VM1.toString(), 0, new DatasetRegistered(VM1, T0.plusSeconds(5)), T0.plusSeconds(5));
        stored(VM1.toString(), 1, new SnapshotRecorded(VM1, snapshot("daily-1", 11, T0.plusSeconds(10)), null,
                T0.plusSeconds(10)), T0.plusSeconds(10));
        stored(SERVER.value(), 1, new ServerDeclaredFailed(SERVER, Set.of(Evidence.POOL_FAILED), "pool tank FAULTED",
                T0.plusSeconds(60)), T0.plusSeconds(60));
        stored(VM1.toString(), 2, new SnapshotRecorded(VM1, snapshot("daily-2", 12, T0.plusSeconds(70)), null,
                T0.plusSeconds(70)), T0.plusSeconds(70));

        StateRoutes.State before = state.at(T0.plusSeconds(30));
        assertEquals(3, before.events());
        assertEquals(1, before.datasets());
        assertEquals(1, before.snapshots());
        ServerRow server = before.servers().get(0);
        assertEquals(SERVER, server.server());
        assertNotNull(server.registeredAt());
        assertNull(server.declaredFailedAt(), "declared failed only later");

        StateRoutes.State after = state.at(T0.plusSeconds(90));
        assertEquals(5, after.events());
        assertEquals(2, after.snapshots());
        assertEquals(T0.plusSeconds(60), after.servers().get(0).declaredFailedAt());

        assertEquals(0, state.at(T0.minusSeconds(1)).events(), "before anything happened: an empty fleet");
    }
}
