package io.zsentinel.deploy.controller;

import com.zaxxer.hikari.HikariDataSource;
import io.zsentinel.core.messages.facts.SnapshotCreated;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.store.Aggregates;
import io.zsentinel.deploy.store.AxonStore;
import io.zsentinel.deploy.store.ExternalPostgres;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.dataset.DatasetAggregate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.common.lock.DeadlockException;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, batches of facts per transaction, on PostgreSQL with the real Dataset aggregate: a lane's batch is kept
 * whole or not at all, a batch redelivered after a crash midway changes nothing twice, and a dataset created by
 * someone else after the batch looked it up is not given a second history.
 */
class LaneTransactionIT {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static HikariDataSource dataSource;

    private final ServerId server = ServerId.of("lane-" + UUID.randomUUID().toString().substring(0, 8));
    private AxonStore store;
    private Configuration axon;
    private AgentEventHandler handler;
    private LaneTransaction batch;

    @BeforeAll
    static void connect() {
        dataSource = ExternalPostgres.connectOrSkip();
    }

    @AfterAll
    static void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @BeforeEach
    void start() {
        store = AxonStore.create(dataSource);
        axon = store.configure(AxonStore.newConfigurer())
                .configureAggregate(Aggregates.cachedAndSnapshotted(DatasetAggregate.class, 100, 250))
                .buildConfiguration();
        axon.start();
        handler = new AgentEventHandler(AgentEventHandlerTest.CODEC,
                new FactRouter(new AgentEventHandlerTest.NoLiveFacts(), FactRouter.Path.ORDERED), axon.commandGateway());
        batch = new LaneTransaction(axon.getComponent(TransactionManager.class), store, handler);
    }

    @AfterEach
    void stop() {
        axon.shutdown();
    }

    private DatasetName dataset(int d) {
        return DatasetName.of("tank/vm" + d);
    }

    /** An inventory of {@code snapshots} daily snapshots of dataset {@code d}: one event per snapshot when new. */
    private ConsumerRecord<String, String> inventory(int d, int snapshots) {
        List<SnapshotInfo> list = new ArrayList<>();
        for (int k = 0; k < snapshots; k++) {
            Instant at = T0.plus(Duration.ofDays(k));
            list.add(new SnapshotInfo(dataset(d).snapshot("daily-" + k), new Guid(1_000L * (d + 1) + k), 10 + k, at, 100, 200));
        }
        return AgentEventHandlerTest.record(server.value(), new SnapshotInventoryReported(server, dataset(d), list,
                T0.plus(Duration.ofDays(snapshots))));
    }

    /** Events of a dataset created with {@code snapshots} snapshots: registered, then one per snapshot. */
    private static long history(int snapshots) {
        return 1 + snapshots;
    }

    private void handleAll(List<ConsumerRecord<String, String>> records) {
        records.forEach(handler::handle);
    }

    private long events(int d) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select count(*) from domain_event_entry where aggregate_identifier = ?")) {
            s.setString(1, new DatasetId(server, dataset(d)).toString());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aBatchIsKeptWholeOrNotAtAllAndARedeliveredBatchChangesNothingTwice() throws Exception {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (int d = 0; d < 5; d++) {
            records.add(inventory(d, 3));
        }
        records.add(inventory(0, 4)); // the same dataset again in the batch: one more snapshot

        // A crash midway (the third fact's handling fails): nothing of the batch is stored, not even the facts before.
        RuntimeException crash = new IllegalStateException("controller killed midway (simulated)");
        assertThrows(IllegalStateException.class, () -> batch.inOne(records, () -> {
            handleAll(records.subList(0, 3));
            throw crash;
        }));
        for (int d = 0; d < 5; d++) {
            assertEquals(0, events(d), "dataset " + d + " after the batch was undone");
        }

        // Delivered again, whole: every dataset created once, the repeated one up to its fourth snapshot.
        batch.inOne(records, () -> handleAll(records));
        assertEquals(history(4), events(0));
        for (int d = 1; d < 5; d++) {
            assertEquals(history(3), events(d), "dataset " + d);
        }

        // Delivered once more (the offsets were not committed before a crash): nothing changes twice.
        batch.inOne(records, () -> handleAll(records));
        handleAll(records); // and one at a time, as the loop does after a failed batch
        assertEquals(history(4), events(0));
        for (int d = 1; d < 5; d++) {
            assertEquals(history(3), events(d), "dataset " + d + " redelivered");
        }
    }

    @Test
    void aDatasetCreatedElsewhereAfterTheBatchLookedItUpGetsNoSecondHistory() throws Exception {
        List<ConsumerRecord<String, String>> records = List.of(inventory(7, 2), inventory(8, 2));
        // Inside the batch, after its one query found both datasets new, another controller (its own cache) creates
        // dataset 7 with its first snapshot. The batch, sure 7 is new, would number its events from 0 again.
        Configuration other = AxonStore.create(dataSource).configure(AxonStore.newConfigurer())
                .configureAggregate(Aggregates.cached(DatasetAggregate.class, 100)).buildConfiguration();
        other.start();
        try {
            AgentEventHandler elsewhere = new AgentEventHandler(AgentEventHandlerTest.CODEC,
                    new FactRouter(new AgentEventHandlerTest.NoLiveFacts(), FactRouter.Path.ORDERED), other.commandGateway());
            assertThrows(RuntimeException.class, () -> batch.inOne(records, () -> {
                CompletableFuture.runAsync(() -> elsewhere.handle(inventory(7, 1))).join();
                handleAll(records);
            }), "the append collides with the other history and the batch fails as a whole");
        } finally {
            other.shutdown();
        }
        assertEquals(0, events(8), "the batch failed as a whole");
        // The loop then handles the facts one at a time: dataset 7 continues the other history, no second one.
        handleAll(records);
        assertEquals(history(2), events(8));
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select sequence_number from domain_event_entry"
                     + " where aggregate_identifier = ? order by sequence_number")) {
            s.setString(1, new DatasetId(server, dataset(7)).toString());
            List<Long> sequence = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    sequence.add(rs.getLong(1));
                }
            }
            assertEquals(List.of(0L, 1L, 2L), sequence,
                    "one history: registered and the first snapshot by the other, then the second snapshot");
        }
    }

    /** A snapshot {@code name} of dataset {@code d} taken (one event when new; creates the dataset if missing). */
    private ConsumerRecord<String, String> created(int d, String name, long guid) {
        return AgentEventHandlerTest.record(server.value(), new SnapshotCreated(server, new SnapshotInfo(
                dataset(d).snapshot(name), new Guid(guid), 10, T0, 100, 200), null));
    }

    /** The snapshot names of dataset {@code d}'s stored events, in their order. */
    private List<String> snapshotsRecorded(int d, List<String> names) throws SQLException {
        List<String> order = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select convert_from(payload, 'UTF8') from domain_event_entry"
                     + " where aggregate_identifier = ? order by sequence_number")) {
            s.setString(1, new DatasetId(server, dataset(d)).toString());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String payload = rs.getString(1);
                    names.stream().filter(n -> payload.contains("\"" + n + "\"") || payload.contains("@" + n + "\""))
                            .forEach(order::add);
                }
            }
        }
        return order;
    }

    /**
     * Two lanes whose batches reach the same two aggregates in opposite order (each holds the first it loaded until
     * its batch commits, and then asks for the other's): Axon's lock factory sees the cycle and fails a lane's
     * command with a DeadlockException, well before its lock wait gives up (6,000 attempts of 10 ms); that batch is
     * undone and its facts handled one at a time, as the consumer loop does. Every fact is applied once, each lane's
     * in its order, and nothing hangs. (Lanes split facts by server, so two lanes never share a dataset; two datasets
     * stand here for any aggregate two lanes could both reach, such as a link named by another server's transfer fact.)
     */
    @Test
    void twoLanesReachingTwoAggregatesInOppositeOrderDoNotDeadlock() throws Exception {
        int x = 20;
        int y = 21;
        List<ConsumerRecord<String, String>> laneA = List.of(created(x, "a0", 1), created(y, "a0", 2),
                created(x, "a1", 3), created(y, "a1", 4));
        List<ConsumerRecord<String, String>> laneB = List.of(created(y, "b0", 5), created(x, "b0", 6),
                created(y, "b1", 7), created(x, "b1", 8));
        CountDownLatch bothHoldTheirFirst = new CountDownLatch(2);
        AtomicInteger deadlocks = new AtomicInteger();
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (List<ConsumerRecord<String, String>> lane : List.of(laneA, laneB)) {
            lanes.add(CompletableFuture.runAsync(() -> {
                try {
                    batch.inOne(lane, () -> {
                        handler.handle(lane.get(0)); // its aggregate stays locked until the batch commits
                        bothHoldTheirFirst.countDown();
                        try {
                            assertTrue(bothHoldTheirFirst.await(60, TimeUnit.SECONDS), "the other lane started");
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        handleAll(lane.subList(1, lane.size()));
                    });
                } catch (RuntimeException e) {
                    if (e instanceof DeadlockException) {
                        deadlocks.incrementAndGet();
                    }
                    handleAll(lane); // the consumer loop: the failed batch again, one fact at a time
                }
            }));
        }
        // Well under Axon's lock-wait limit (about 60 s): the cycle is detected, not waited out.
        await("both lanes done").atMost(Duration.ofSeconds(40)).until(() -> lanes.stream().allMatch(CompletableFuture::isDone));
        lanes.forEach(CompletableFuture::join); // nothing failed for good
        assertTrue(deadlocks.get() >= 1, "the opposite lock order was seen as a deadlock by at least one lane");

        List<String> names = List.of("a0", "a1", "b0", "b1");
        for (int d : List.of(x, y)) {
            List<String> recorded = snapshotsRecorded(d, names);
            assertEquals(4, recorded.size(), "dataset " + d + ": every snapshot recorded once, was " + recorded);
            assertEquals(new HashSet<>(names), new HashSet<>(recorded), "dataset " + d);
            assertTrue(recorded.indexOf("a0") < recorded.indexOf("a1"), "lane A's facts in order on " + d + ": " + recorded);
            assertTrue(recorded.indexOf("b0") < recorded.indexOf("b1"), "lane B's facts in order on " + d + ": " + recorded);
        }
    }
}
