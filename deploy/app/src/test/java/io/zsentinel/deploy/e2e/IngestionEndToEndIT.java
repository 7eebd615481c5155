package io.zsentinel.deploy.e2e;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.kafka.KafkaSettings;
import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.controller.Controller;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import io.zsentinel.deploy.store.DataSources;
import io.zsentinel.projections.fleet.ServerRow;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10's ingestion on real parts (the in-process broker, an embedded PostgreSQL, the real {@link Controller}):
 * liveness on a path of its own, and facts of many servers handled side by side, each server's in order, a burst
 * cut short by a stop recorded exactly once after the restart.
 */
class IngestionEndToEndIT {
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(CoreMessages.types());
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    /** A cell of its own on the shared broker, and what a test opened in it, closed last to first. */
    private static final class Cell implements AutoCloseable {
        final Topics topics;
        final KafkaConfig kafka;
        final MessagePublisher publisher;
        private final Deque<AutoCloseable> opened = new ArrayDeque<>();

        Cell(TestInfo info, int partitions) {
            topics = KafkaTestBroker.freshTopics(info.getTestMethod().orElseThrow().getName(), partitions);
            kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(), topics.prefix().substring(0, topics.prefix().length() - 1));
            publisher = add(MessagePublisher.create(KafkaTestBroker.bootstrapServers()));
        }

        <T extends AutoCloseable> T add(T closeable) {
            opened.push(closeable);
            return closeable;
        }

        Controller controller(DataSource dataSource) {
            return add(Controller.start(new ControllerConfig(kafka, null, new ControllerConfig.HttpConfig("127.0.0.1", 0),
                    null), dataSource, Clock.systemUTC(), new SimpleMeterRegistry()));
        }

        CompletableFuture<?> publish(String server, Message fact) {
            return publisher.publish(topics.agentEvents(), server, CODEC.encode(CODEC.wrap(fact, "agent:" + server, T0)));
        }

        /** Records the controller's group committed on the agent-facts topic (committed = handled). */
        long committed() throws Exception {
            try (Admin admin = Admin.create(KafkaSettings.admin(KafkaTestBroker.bootstrapServers()))) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(admin
                        .listConsumerGroupOffsets(topics.groupId("controller")).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS));
                return offsets.values().stream().filter(java.util.Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
            }
        }

        @Override
        public void close() {
            Stack.closeAll(List.copyOf(opened));
        }
    }

    private static Optional<ServerRow> row(Controller controller, String server) {
        return controller.fleet().servers().stream().filter(r -> r.server().value().equals(server)).findFirst();
    }

    /**
     * The store is down, so an inventory of a new dataset waits (retried, not dead-lettered); a heartbeat published
     * behind it on the same partition still reaches the fleet view. With one consumer for all facts it waited too.
     */
    @Test
    void aHeartbeatIsNotQueuedBehindAnInventoryThatWaitsForTheStore(TestInfo info) {
        try (Cell cell = new Cell(info, 1)) {
            heartbeatWhileTheStoreIsDown(cell);
        }
    }

    private void heartbeatWhileTheStoreIsDown(Cell cell) {
        Path data = dir.resolve("postgres");
        EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start(data);
        int port = postgres.port();
        // The controller's own pool outlives the database process, as it would against a remote PostgreSQL.
        HikariDataSource pool = cell.add(DataSources.pooled(postgres.jdbcUrl(), EmbeddedPostgresStore.USER, ""));
        Controller controller = cell.controller(pool);
        cell.publish("primary", new AgentHeartbeat(new ServerId("primary"), 1, T0)).join();
        await().atMost(Duration.ofSeconds(120)).until(() -> row(controller, "primary")
                .map(r -> r.registeredAt() != null).orElse(false));

        postgres.close();
        cell.publish("primary", inventory("primary", 0, T0, 1, 2)).join();
        Instant later = T0.plusSeconds(30);
        cell.publish("primary", new AgentHeartbeat(new ServerId("primary"), 1, later)).join();

        await().atMost(Duration.ofSeconds(60)).until(() -> row(controller, "primary")
                .map(r -> later.equals(r.lastHeartbeat())).orElse(false));
        assertTrue(controller.inventory().datasets().isEmpty(), "the inventory still waits for the store");

        cell.add(EmbeddedPostgresStore.start(data, port));
        await().atMost(Duration.ofSeconds(180)).until(() -> controller.inventory().datasets().size() == 1);
    }

    /**
     * A burst of two inventories per dataset (the second: one snapshot destroyed, one new) over many servers; the
     * controller is stopped while it handles them and started again on the same store. Each server's facts were
     * applied in order and nothing twice: exactly the events of one pass are in the store.
     */
    @Test
    void aBurstCutShortByAStopIsRecordedExactlyOnceAndInOrderAfterTheRestart(TestInfo info) throws Exception {
        try (Cell cell = new Cell(info, 3)) {
            burstStoppedAndRestarted(cell);
        }
    }

    private void burstStoppedAndRestarted(Cell cell) throws Exception {
        EmbeddedPostgresStore postgres = cell.add(EmbeddedPostgresStore.start(dir.resolve("postgres")));
        int servers = 40;
        int datasets = 15;
        List<CompletableFuture<?>> sends = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (int s = 0; s < servers; s++) {
            order.add("server-" + s);
        }
        java.util.Collections.shuffle(order, new java.util.Random(10));
        for (String server : order) {
            for (int d = 0; d < datasets; d++) {
                sends.add(cell.publish(server, inventory(server, d, T0, 1, 2, 3)));
                sends.add(cell.publish(server, inventory(server, d, T0.plusSeconds(60), 2, 3, 4)));
            }
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        long total = sends.size();

        Controller first = cell.controller(postgres.dataSource());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> count(postgres.dataSource(), "SnapshotRecorded") > 0);
        first.close();
        long committedAtStop = cell.committed();
        assertTrue(committedAtStop < total, "stopped mid-burst: " + committedAtStop + " of " + total + " handled");

        cell.controller(postgres.dataSource());
        await().atMost(Duration.ofSeconds(600)).pollInterval(Duration.ofMillis(200)).until(() -> cell.committed() == total);
        int all = servers * datasets;
        assertEquals(all, count(postgres.dataSource(), "DatasetRegistered"), "registered once each");
        assertEquals(all * 4L, count(postgres.dataSource(), "SnapshotRecorded"), "snapshots 1-4 recorded once each");
        assertEquals(all, count(postgres.dataSource(), "SnapshotRemoved"), "snapshot 1 removed once: in order");
    }

    private static SnapshotInventoryReported inventory(String server, int d, Instant at, int... numbers) {
        DatasetName dataset = DatasetName.of("tank/vm" + d);
        List<SnapshotInfo> infos = new ArrayList<>();
        for (int i : numbers) {
            infos.add(new SnapshotInfo(dataset.snapshot("daily-" + i), new Guid(1000L * d + i), 100 + i,
                    T0.minusSeconds(86400L * (10 - i)), 1024, 4096));
        }
        return new SnapshotInventoryReported(new ServerId(server), dataset, infos, at);
    }

    /** Events of one type in the store (payload_type is the event's class name). */
    private static long count(DataSource store, String eventType) throws Exception {
        try (Connection c = store.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from domain_event_entry where payload_type like '%."
                     + eventType + "'")) {
            r.next();
            return r.getLong(1);
        }
    }
}
