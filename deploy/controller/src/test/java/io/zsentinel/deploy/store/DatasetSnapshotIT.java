package io.zsentinel.deploy.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetEvent;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.ReconcileInventory;
import io.zsentinel.replication.api.SnapshotRemoved;
import io.zsentinel.replication.dataset.CompactState;
import io.zsentinel.replication.dataset.DatasetAggregate;
import io.zsentinel.replication.dataset.DatasetDecider;
import io.zsentinel.replication.dataset.DatasetState;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Dataset aggregates snapshotted in PostgreSQL's {@code snapshot_event_entry}: a snapshot is taken
 * every n events, a cold controller loads from it, and a snapshot it cannot read, or of another
 * shape, is skipped for a full replay instead of failing the aggregate or loading it half-right.
 */
class DatasetSnapshotIT {
    private static final int SNAPSHOT_EVERY = 50;
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static HikariDataSource dataSource;

    private final DatasetId id = new DatasetId(ServerId.of("snap-" + UUID.randomUUID().toString().substring(0, 8)),
            DatasetName.of("tank/vm1"));
    private final ObjectMapper json = Json.newMapper();
    private Configuration configuration;

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

    @AfterEach
    void stop() {
        if (configuration != null) {
            configuration.shutdown();
        }
    }

    /** A controller of its own: its own store and an empty aggregate cache. */
    private void startCold() {
        if (configuration != null) {
            configuration.shutdown();
        }
        configuration = AxonStore.create(dataSource).configure(AxonStore.newConfigurer())
                .configureAggregate(Aggregates.cachedAndSnapshotted(DatasetAggregate.class, 100, SNAPSHOT_EVERY))
                .buildConfiguration();
        configuration.start();
    }

    private static SnapshotInfo daily(int day) {
        Instant at = T0.plus(Duration.ofDays(day));
        return new SnapshotInfo(DatasetName.of("tank/vm1").snapshot("daily-" + day), new Guid(1_000 + day), 10 + day, at,
                100, 200);
    }

    /** An inventory of days [0, days): one event per new snapshot. */
    private void inventory(int days) {
        List<SnapshotInfo> snapshots = new ArrayList<>();
        for (int day = 0; day < days; day++) {
            snapshots.add(daily(day));
        }
        configuration.commandGateway().sendAndWait(
                new ReconcileInventory(id, snapshots, T0.plus(Duration.ofDays(days)), UUID.randomUUID()));
    }

    /** What the aggregate holds once loaded by the repository. */
    private DatasetState loaded() throws Exception {
        DefaultUnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(null);
        var result = uow.executeWithResult(() -> configuration.repository(DatasetAggregate.class).load(id.toString())
                .invoke(DatasetAggregate::state));
        if (result.isExceptional()) {
            throw new AssertionError("loading " + id + " failed", result.exceptionResult());
        }
        return (DatasetState) result.getPayload();
    }

    /** A cold controller records 60 snapshots (61 events) and Axon snapshots the dataset. */
    private void sixtyRecordedAndSnapshotted() {
        startCold();
        inventory(60);
        await().atMost(Duration.ofSeconds(60)).until(() -> snapshot() != null);
    }

    /** A readable state that says one snapshot fewer than the events do: what a load from it shows. */
    private DatasetState oneFewer(DatasetState truth) {
        return DatasetDecider.evolve(truth, List.of(new SnapshotRemoved(id, daily(0).name(), daily(0).guid(), "marker", T0)));
    }

    /** The whole history folded, without any snapshot. */
    private DatasetState replayed() {
        List<DatasetEvent> events = AxonStore.create(dataSource).storageEngine().readEvents(id.toString()).asStream()
                .map(m -> (DatasetEvent) m.getPayload()).toList();
        return DatasetDecider.evolve(DatasetState.initial(id), events);
    }

    @Test
    void aDatasetIsSnapshottedEveryFewEventsAndAColdControllerLoadsTheSameState() throws Exception {
        startCold();
        inventory(120); // registered + 120 recorded: sequence 0..120
        await().atMost(Duration.ofSeconds(60)).until(() -> snapshot() != null);
        Snapshot first = snapshot();
        assertEquals(DatasetAggregate.SNAPSHOT_REVISION, first.revision());
        assertEquals(120, first.sequence());
        inventory(121); // one more event after the snapshot

        startCold();
        DatasetState state = loaded();
        assertEquals(replayed(), state);
        assertEquals(121, state.snapshots().size());
        inventory(122); // and it goes on deciding from there
        assertEquals(122, loaded().snapshots().size());
        assertEquals(1, snapshotRows(), "a new snapshot replaces the older one");
    }

    @Test
    void aColdControllerStartsFromTheSnapshotNotFromTheFirstEvent() throws Exception {
        sixtyRecordedAndSnapshotted();
        DatasetState marked = oneFewer(replayed());
        overwriteSnapshot(DatasetAggregate.SNAPSHOT_REVISION, payload(marked));

        startCold();
        assertEquals(marked, loaded());
    }

    @Test
    void anUnreadableSnapshotIsSkippedAndTheDatasetIsReplayedFromItsEvents() throws Exception {
        sixtyRecordedAndSnapshotted();
        overwriteSnapshot(DatasetAggregate.SNAPSHOT_REVISION,
                "{\"id\":\"" + id + "\",\"state\":{\"snapshots\":\"not a map\"}}");

        startCold();
        assertEquals(replayed(), loaded());
        inventory(61); // commands still work
        assertEquals(61, loaded().snapshots().size());
        // and a readable snapshot replaces the unreadable one (taken when the replay passed the threshold)
        await().atMost(Duration.ofSeconds(60)).until(() -> snapshot().payload().contains("\"snapshots\":[["));
        assertEquals(DatasetAggregate.SNAPSHOT_REVISION, snapshot().revision());
        startCold();
        assertEquals(replayed(), loaded());
    }

    @Test
    void aSnapshotOfAnotherShapeIsIgnoredEvenWhenItReads() throws Exception {
        sixtyRecordedAndSnapshotted();
        DatasetState truth = replayed();
        DatasetState older = DatasetState.initial(id); // readable, and wrong: what another shape would read as
        overwriteSnapshot("0", payload(older));

        startCold();
        DatasetState state = loaded();
        assertEquals(truth, state);
        assertNotEquals(older, state);
        assertFalse(state.snapshots().isEmpty());
    }

    @Test
    void aSnapshotOfRevisionOneLeftByThePreviousVersionIsIgnoredAndTheDatasetLoadsFromItsEventsThenSnapshotsAnew()
            throws Exception {
        sixtyRecordedAndSnapshotted();
        DatasetState truth = replayed();
        // what the previous version left in the store: revision 1, the state's plain JSON, readable by it
        DatasetState marked = oneFewer(truth);
        overwriteSnapshot("1", revisionOnePayload(marked));

        startCold();
        assertEquals(truth, loaded());
        inventory(61); // commands decide on the replayed state
        assertEquals(61, loaded().snapshots().size());
        // the replay passed the threshold: a snapshot of this version's revision replaces the old one
        await().atMost(Duration.ofSeconds(60)).until(() -> DatasetAggregate.SNAPSHOT_REVISION.equals(snapshot().revision()));
        assertEquals(1, snapshotRows());
        startCold();
        assertEquals(replayed(), loaded());
    }

    @Test
    void aSnapshotOfANewerShapeIsIgnoredThoughThisVersionCouldReadItsKnownFields() throws Exception {
        sixtyRecordedAndSnapshotted();
        DatasetState truth = replayed();
        // what a newer controller might write: a field this one does not know, and a state it would read half-right
        ObjectNode newer = (ObjectNode) json.readTree(payload(DatasetState.initial(id)));
        ((ObjectNode) newer.get("state")).put("snapshotsByTxg", "something new");
        overwriteSnapshot(String.valueOf(Integer.parseInt(DatasetAggregate.SNAPSHOT_REVISION) + 1), newer.toString());

        startCold();
        assertEquals(truth, loaded());
    }

    /** A snapshot of the aggregate holding {@code state}, as this version writes it. */
    private String payload(DatasetState state) {
        ObjectMapper compact = Json.newMapper().registerModule(new SimpleModule()
                .addSerializer(DatasetState.class, new CompactState.Writer()));
        ObjectNode node = json.createObjectNode();
        node.put("id", id.toString());
        node.set("state", compact.valueToTree(state));
        return node.toString();
    }

    /** A snapshot of the aggregate holding {@code state} as revision 1 wrote it: the state's plain JSON. */
    private String revisionOnePayload(DatasetState state) {
        ObjectNode node = json.createObjectNode();
        node.put("id", id.toString());
        node.set("state", json.valueToTree(state));
        return node.toString();
    }

    private record Snapshot(long sequence, String revision, String payload) {
    }

    private Snapshot snapshot() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select sequence_number, payload_revision, payload from snapshot_event_entry"
                     + " where aggregate_identifier = ? order by sequence_number desc limit 1")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Snapshot(rs.getLong(1), rs.getString(2),
                        new String(rs.getBytes(3), StandardCharsets.UTF_8)) : null;
            }
        }
    }

    private int snapshotRows() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from snapshot_event_entry where aggregate_identifier = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void overwriteSnapshot(String revision, String payload) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update snapshot_event_entry set payload_revision = ?, payload = ?"
                     + " where aggregate_identifier = ?")) {
            ps.setString(1, revision);
            ps.setBytes(2, payload.getBytes(StandardCharsets.UTF_8));
            ps.setString(3, id.toString());
            assertEquals(1, ps.executeUpdate());
        }
    }
}
