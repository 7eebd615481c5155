package io.zsentinel.deploy.store;

import com.zaxxer.hikari.HikariDataSource;
import io.zsentinel.deploy.store.Sensor.FailingHandler;
import io.zsentinel.deploy.store.Sensor.Projection;
import io.zsentinel.deploy.store.Sensor.ReadingRecorded;
import io.zsentinel.deploy.store.Sensor.RecordReading;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.updates.configuration.UsagePropertyProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event-store contract, run against the embedded PostgreSQL and (when configured) an external
 * one. Every run uses fresh aggregate ids and processor names, so a database holding earlier runs'
 * data is fine.
 */
abstract class AbstractAxonStoreTest {

    private final String run = "run-" + UUID.randomUUID();

    protected abstract DataSource dataSource();

    private Configuration start(AxonStore store, String processor, Projection projection, FailingHandler failing) {
        Configuration configuration = store.configure(AxonStore.newConfigurer())
                .configureAggregate(Sensor.class)
                .eventProcessing(ep -> {
                    ep.registerTrackingEventProcessor(processor, Configuration::eventStore,
                                    c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing())
                            .assignHandlerInstancesMatching(processor, h -> h == projection)
                            .registerEventHandler(c -> projection);
                    if (failing != null) {
                        ep.registerSubscribingEventProcessor(processor + "-failing")
                                .assignHandlerInstancesMatching(processor + "-failing", h -> h == failing)
                                .registerEventHandler(c -> failing);
                    }
                })
                .buildConfiguration();
        configuration.start();
        return configuration;
    }

    @Test
    void eventsRoundTripAndProcessorResumesFromItsStoredToken() throws Exception {
        String processor = "projection-" + run;
        String a = run + "-a";
        Instant at = Instant.parse("2026-01-02T03:04:05.123456789Z");
        List<ReadingRecorded> expected = List.of(new ReadingRecorded(a, 1, at), new ReadingRecorded(a, Long.MAX_VALUE, at.plusSeconds(1)));

        Projection first = new Projection(run);
        Configuration configuration = start(AxonStore.create(dataSource()), processor, first, null);
        try {
            assertEquals(Boolean.TRUE, configuration.getComponent(UsagePropertyProvider.class).getDisabled());
            for (ReadingRecorded e : expected) {
                configuration.commandGateway().sendAndWait(new RecordReading(e.sensorId(), e.value(), e.at()));
            }
            // In the table, as JSON with ISO-8601 instants.
            List<String> payloads = payloads(a);
            assertEquals(2, payloads.size());
            assertTrue(payloads.get(0).contains("\"at\":\"2026-01-02T03:04:05.123456789Z\""), payloads.get(0));
            // Read back through Axon.
            List<Object> read = new ArrayList<>();
            configuration.eventStore().readEvents(a).asStream().map(Message::getPayload).forEach(read::add);
            assertEquals(expected, read);
            // The tracking processor got them and stored its token.
            await().atMost(Duration.ofSeconds(120)).until(() -> first.received.size() == 2);
            assertEquals(expected, first.received);
            await().atMost(Duration.ofSeconds(120)).until(() -> tokenStored(processor));
        } finally {
            configuration.shutdown();
        }

        Projection second = new Projection(run);
        configuration = start(AxonStore.create(dataSource()), processor, second, null); // schema exists now
        try {
            ReadingRecorded third = new ReadingRecorded(a, 3, at.plusSeconds(2));
            configuration.commandGateway().sendAndWait(new RecordReading(a, 3, third.at()));
            await().atMost(Duration.ofSeconds(120)).until(() -> !second.received.isEmpty());
            // Events are delivered in order: had it restarted from scratch, the old two would come first.
            assertEquals(List.of(third), second.received);
            assertEquals(3, payloads(a).size());
        } finally {
            configuration.shutdown();
        }
    }

    @Test
    void aFailingHandlerRollsBackTheEventAppendOfItsUnitOfWork() throws Exception {
        String processor = "tx-" + run;
        String doomed = run + "-doomed";
        String fine = run + "-fine";
        Configuration configuration = start(AxonStore.create(dataSource()), processor, new Projection(run), new FailingHandler(doomed));
        try {
            configuration.commandGateway().sendAndWait(new RecordReading(fine, 1, Instant.now()));
            assertThrows(IllegalStateException.class,
                    () -> configuration.commandGateway().sendAndWait(new RecordReading(doomed, 1, Instant.now())));
            assertEquals(1, payloads(fine).size());
            assertEquals(0, payloads(doomed).size());
            assertEquals(0L, configuration.eventStore().readEvents(doomed).asStream().count());
        } finally {
            configuration.shutdown();
        }
    }

    @Test
    void unitOfWorkRollbackRollsBackTheSameConnection() throws Exception {
        AxonStore store = AxonStore.create(dataSource());
        String id = run + "-uow";
        DefaultUnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(GenericMessage.asMessage("test"));
        uow.attachTransaction(store.transactions());
        ResultMessage<?> result = uow.executeWithResult(() -> {
            store.storageEngine().appendEvents(new GenericDomainEventMessage<>(
                    "Sensor", id, 0, new ReadingRecorded(id, 7, Instant.now())));
            try (Connection inTx = store.transactions().getConnection()) {
                assertEquals(1, count(inTx, id), "visible inside the transaction");
            }
            assertEquals(0, payloads(id).size(), "invisible outside before commit");
            throw new IllegalStateException("handler fails");
        });
        assertTrue(result.isExceptional());
        assertEquals(0, payloads(id).size());
        assertFalse(store.transactions().inTransaction());
        if (dataSource() instanceof HikariDataSource hikari) {
            assertEquals(0, hikari.getHikariPoolMXBean().getActiveConnections(), "connection returned to the pool");
        }
        try (Connection c = store.transactions().getConnection()) {
            assertTrue(c.getAutoCommit());
        }
    }

    private List<String> payloads(String aggregateId) throws SQLException {
        List<String> payloads = new ArrayList<>();
        try (Connection c = dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select payload from domain_event_entry where aggregate_identifier = ? order by sequence_number")) {
            ps.setString(1, aggregateId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    payloads.add(new String(rs.getBytes(1), StandardCharsets.UTF_8));
                }
            }
        }
        return payloads;
    }

    private static int count(Connection c, String aggregateId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from domain_event_entry where aggregate_identifier = ?")) {
            ps.setString(1, aggregateId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private boolean tokenStored(String processor) throws SQLException {
        try (Connection c = dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select token from token_entry where processor_name = ?")) {
            ps.setString(1, processor);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBytes(1) != null;
            }
        }
    }

}
