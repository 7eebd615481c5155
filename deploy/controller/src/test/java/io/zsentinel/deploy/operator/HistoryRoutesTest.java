package io.zsentinel.deploy.operator;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.controller.DomainTypes;
import io.zsentinel.failover.api.MaintenanceModeChanged;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.ServerDeclaredFailed;
import io.zsentinel.failover.api.ServerRegistered;
import io.zsentinel.failover.detect.Evidence;
import io.zsentinel.projections.web.ApiException;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The history of one subject read from an event store (Axon's in-memory engine: the paging and filter rules). */
class HistoryRoutesTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final ServerId SERVER = ServerId.of("storage-01");

    final EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
    final HistoryRoutes history = new HistoryRoutes(() -> store, DomainTypes.all());

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    private void stored(long sequence, Object event, Instant at) {
        store.publish(new GenericDomainEventMessage<>("StorageServerAggregate", SERVER.value(), sequence, event,
                MetaData.emptyInstance(), UUID.randomUUID().toString(), at));
    }

    private void aServersLife() {
        stored(0, new ServerRegistered(SERVER, T0), T0);
        stored(1, new MaintenanceModeChanged(SERVER, true, new OperatorOrder("bob", "disk swap"), T0.plusSeconds(60)),
                T0.plusSeconds(60));
        stored(2, new MaintenanceModeChanged(SERVER, false, new OperatorOrder("bob", "done"), T0.plusSeconds(120)),
                T0.plusSeconds(120));
        stored(3, new ServerDeclaredFailed(SERVER, Set.of(Evidence.POOL_FAILED), "pool tank FAULTED", T0.plusSeconds(180)),
                T0.plusSeconds(180));
    }

    @Test
    void aSubjectsEventsComeOldestFirstWithTheirTypeFieldsAndSequence() {
        aServersLife();
        HistoryRoutes.Page page = history.read("storage-01", -1, 100, Optional.empty(), Optional.empty(), Set.of());
        assertEquals(List.of(0L, 1L, 2L, 3L), page.events().stream().map(HistoryRoutes.Entry::sequence).toList());
        HistoryRoutes.Entry first = page.events().get(0);
        assertEquals(T0, first.at());
        assertEquals("storage-01", first.event().path("server").asText(), first.event().toString());
        assertEquals(DomainTypes.all().of(ServerRegistered.class).name(), first.type());
        assertEquals("disk swap", page.events().get(1).event().path("by").path("reason").asText(),
                page.events().get(1).event().toString());
        assertNull(page.next(), "one page");
    }

    @Test
    void pagesFollowOneAnotherByTheLastSequenceAndFiltersApplyBeforeTheLimit() {
        aServersLife();
        HistoryRoutes.Page first = history.read("storage-01", -1, 2, Optional.empty(), Optional.empty(), Set.of());
        assertEquals(List.of(0L, 1L), first.events().stream().map(HistoryRoutes.Entry::sequence).toList());
        assertEquals(1L, first.next());
        HistoryRoutes.Page second = history.read("storage-01", first.next(), 2, Optional.empty(), Optional.empty(),
                Set.of());
        assertEquals(List.of(2L, 3L), second.events().stream().map(HistoryRoutes.Entry::sequence).toList());
        assertNull(second.next());

        String maintenance = DomainTypes.all().of(MaintenanceModeChanged.class).name().toLowerCase(java.util.Locale.ROOT);
        assertEquals(List.of(1L, 2L), history.read("storage-01", -1, 10, Optional.empty(), Optional.empty(),
                Set.of(maintenance)).events().stream().map(HistoryRoutes.Entry::sequence).toList(), "by type");
        assertEquals(List.of(1L, 2L), history.read("storage-01", -1, 10, Optional.of(T0.plusSeconds(60)),
                Optional.of(T0.plusSeconds(120)), Set.of()).events().stream().map(HistoryRoutes.Entry::sequence)
                .toList(), "since and until, both included");
        assertEquals(List.of(), history.read("storage-01", 3, 10, Optional.empty(), Optional.empty(), Set.of())
                .events(), "after the last: an empty page, not a 404");
    }

    @Test
    void anUnknownSubjectIsA404ThatSaysWhatASubjectIs() {
        aServersLife();
        ApiException e = assertThrows(ApiException.class, () -> history.read("storage-02", -1, 10, Optional.empty(),
                Optional.empty(), Set.of()));
        assertEquals(404, e.status());
        assertEquals(true, e.getMessage().contains("storage-02"), e.getMessage());
    }
}
