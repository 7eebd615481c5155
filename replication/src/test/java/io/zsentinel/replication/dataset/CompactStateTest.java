package io.zsentinel.replication.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.api.DatasetEvent;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.zsentinel.replication.dataset.DatasetDeciderTest.DS;
import static io.zsentinel.replication.dataset.DatasetDeciderTest.ID;
import static io.zsentinel.replication.dataset.DatasetDeciderTest.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compact JSON of a dataset's state in Axon's snapshots: every component a decision reads survives the
 * round trip, the snapshots are rows without repeated names, and anything else is refused (so the store
 * replays the events instead).
 */
class CompactStateTest {
    private final ObjectMapper json = Json.newMapper();

    /** Every component set to something other than a fresh dataset's, every edge of a snapshot row included. */
    static DatasetState rich() {
        Map<Guid, SnapshotInfo> snapshots = new LinkedHashMap<>();
        List<SnapshotInfo> rows = List.of(
                new SnapshotInfo(DS.snapshot("zsentinel_daily_2026-11-25T00:00Z"), new Guid(Long.parseUnsignedLong(
                        "18446744073709551615")), 9_000_000_000L, Instant.parse("2026-11-25T00:00:00Z"),
                        Long.MAX_VALUE, 0, 3),
                new SnapshotInfo(DS.snapshot("manual 1"), new Guid(0), 0, Instant.parse("1969-12-31T23:59:59.999999999Z"),
                        0, 1, 0),
                // a snapshot named in another dataset (a rename observed across datasets): kept by its full name
                new SnapshotInfo(DatasetName.of("primary/vm1-old").snapshot("keep:1"), new Guid(Long.MIN_VALUE), 7,
                        Instant.parse("2026-11-24T10:11:12.123456789Z"), 4096, 8192, 1),
                new SnapshotInfo(DS.snapshot("a.b_c-d"), new Guid(12_345_678_901_234_567L), 8, T0, 1, 2, 0));
        rows.forEach(s -> snapshots.put(s.guid(), s));
        Map<SnapshotClass, Instant> slots = new EnumMap<>(SnapshotClass.class);
        slots.put(SnapshotClass.DAILY, Instant.parse("2026-11-25T00:00:00Z"));
        slots.put(SnapshotClass.FREQUENTLY, Instant.parse("2026-11-25T09:45:00Z"));
        Map<UUID, PendingCommand> pending = new LinkedHashMap<>();
        pending.put(new UUID(1, 3), new PendingCommand(PendingCommand.TAKE, DS.snapshot("zsentinel_hourly_x"), null, T0));
        pending.put(new UUID(1, 1), new PendingCommand(PendingCommand.DESTROY, rows.get(1).name(), rows.get(1).guid(),
                T0.plusNanos(5)));
        pending.put(new UUID(1, 2), new PendingCommand(PendingCommand.ROLLBACK, rows.get(3).name(), null, T0));
        Set<SnapshotName> checkpoints = new LinkedHashSet<>(List.of(DS.snapshot("zsentinel_checkpoint_a"),
                rows.get(0).name()));
        Map<Guid, Map<String, ProtectionKind>> protections = new LinkedHashMap<>();
        protections.put(rows.get(0).guid(), Map.of("link-1", ProtectionKind.BASE, "link-2", ProtectionKind.AWAITING));
        protections.put(rows.get(2).guid(), Map.of("link-1", ProtectionKind.AWAITING));
        return new DatasetState(ID, true, snapshots, T0.plusSeconds(3600).plusNanos(42), RetentionPolicy.defaults(),
                slots, pending, checkpoints, protections);
    }

    /** The project's mapper with the compact form for every state (the aggregate has it on its property). */
    private final ObjectMapper compact = Json.newMapper().registerModule(new SimpleModule()
            .addSerializer(DatasetState.class, new CompactState.Writer())
            .addDeserializer(DatasetState.class, new CompactState.Reader()));

    private String written(DatasetState state) throws Exception {
        return compact.writeValueAsString(state);
    }

    @Test
    void theRichFixtureSetsEveryComponentOfTheStateAndOfItsSnapshots() {
        DatasetState rich = rich(), fresh = DatasetState.initial(ID);
        for (RecordComponent c : DatasetState.class.getRecordComponents()) {
            if (!c.getName().equals("id")) {
                assertNotEquals(value(c, fresh), value(c, rich), c.getName() + " is not exercised by the fixture");
            }
        }
        // a component added to the state or to a snapshot needs a place in CompactState and a new revision
        assertEquals(List.of("id", "registered", "snapshots", "lastInventoryAt", "policy", "lastSlots", "pending",
                        "checkpoints", "protections"),
                List.of(DatasetState.class.getRecordComponents()).stream().map(RecordComponent::getName).toList(),
                "DatasetState changed: update CompactState and bump DatasetAggregate.SNAPSHOT_REVISION");
        assertEquals(CompactState.ROW - 1, SnapshotInfo.class.getRecordComponents().length, // created: second, nano
                "SnapshotInfo changed: update CompactState's rows and bump DatasetAggregate.SNAPSHOT_REVISION");
    }

    private static Object value(RecordComponent c, DatasetState state) {
        try {
            return c.getAccessor().invoke(state);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRichStateRoundTripsWithEveryComponentAndTheSnapshotsInTheirOrder() throws Exception {
        DatasetState rich = rich();
        DatasetState read = compact.readValue(written(rich), DatasetState.class);
        assertEquals(rich, read);
        assertEquals(List.copyOf(rich.snapshots().values()), List.copyOf(read.snapshots().values()));
        assertEquals(List.copyOf(rich.pending().keySet()), List.copyOf(read.pending().keySet()));
        assertEquals(List.copyOf(rich.checkpoints()), List.copyOf(read.checkpoints()));
        // and what was read is a state like any other: immutable, and evolving from it works
        assertThrows(UnsupportedOperationException.class, () -> read.snapshots().clear());
        assertEquals(written(rich), written(read));
    }

    @Test
    void theAggregateSnapshotsInTheCompactFormAndReadsItBack() throws Exception {
        List<DatasetEvent> history = DatasetEvolutionTest.mixedHistory(50);
        DatasetAggregate aggregate = new DatasetAggregate();
        history.forEach(aggregate::on);

        String written = json.writeValueAsString(aggregate);
        DatasetAggregate read = json.readValue(written, DatasetAggregate.class);

        assertEquals(aggregate.state(), read.state());
        ObjectNode state = (ObjectNode) json.readTree(written).get("state");
        ArrayNode rows = (ArrayNode) state.get(CompactState.SNAPSHOTS);
        assertEquals(aggregate.state().snapshots().size(), rows.size());
        SnapshotInfo first = aggregate.state().snapshots().values().iterator().next();
        assertEquals(first.name().shortName(), rows.get(0).get(0).asText(), "a snapshot of the dataset by its short name");
        assertFalse(written.contains(DS.value() + "@" + first.name().shortName()), written);
        assertEquals(Long.toString(first.guid().bits()), rows.get(0).get(1).asText());
        // the next event folds onto the state read back as onto the original
        DatasetEvent next = DatasetEvolutionTest.mixedHistory(51).get(history.size());
        aggregate.on(next);
        read.on(next);
        assertEquals(aggregate.state(), read.state());
    }

    @Test
    void tenThousandSnapshotsTakeLessThanHalfTheBytesOfThePlainJson() throws Exception {
        List<DatasetEvent> history = new ArrayList<>();
        DatasetAggregate aggregate = new DatasetAggregate();
        for (int day = 0; day < 10_000; day++) {
            history.add(new SnapshotRecorded(ID, DatasetEvolutionTest.daily(day), null, T0));
        }
        history.forEach(aggregate::on);
        byte[] compact = json.writeValueAsBytes(aggregate);
        byte[] plain = json.writeValueAsBytes(aggregate.state()); // revision 1: the state's own JSON
        assertTrue(compact.length * 2 < plain.length, compact.length + " bytes compact, " + plain.length + " plain");
        assertEquals(aggregate.state(), json.readValue(compact, DatasetAggregate.class).state());
    }

    @Test
    void aRowOfAnotherShapeOrAMissingComponentIsRefusedNotReadHalfRight() throws Exception {
        ObjectNode good = (ObjectNode) json.readTree(written(rich()));
        assertEquals(rich(), compact.treeToValue(good, DatasetState.class));

        for (String bad : List.of("[\"a\",1,2,3,4,5,6]", "[\"a\",1,2,3,4,5,6,7,8]", "[\"a\",1,2,3,4,5,6,\"7\"]",
                "[1,1,2,3,4,5,6,7]", "[\"a\",1,2,3,1000000000,5,6,7]", "[\"a\",1,2,3,4,5,6,-7]", "[\"a@b@c\",1,2,3,4,5,6,7]",
                "[\"a\",18446744073709551615,2,3,4,5,6,7]", "{\"name\":\"a\"}")) {
            ObjectNode broken = good.deepCopy();
            ((ArrayNode) broken.get(CompactState.SNAPSHOTS)).set(0, json.readTree(bad));
            assertThrows(Exception.class, () -> compact.treeToValue(broken, DatasetState.class), bad);
        }
        for (String component : List.of(CompactState.ID, CompactState.REGISTERED, CompactState.LAST_INVENTORY_AT,
                CompactState.POLICY, CompactState.LAST_SLOTS, CompactState.PENDING, CompactState.CHECKPOINTS,
                CompactState.PROTECTIONS, CompactState.SNAPSHOTS)) {
            ObjectNode missing = good.deepCopy();
            missing.remove(component);
            assertThrows(Exception.class, () -> compact.treeToValue(missing, DatasetState.class), component);
        }
        ObjectNode twice = good.deepCopy();
        ((ArrayNode) twice.get(CompactState.SNAPSHOTS)).add(good.get(CompactState.SNAPSHOTS).get(0));
        assertThrows(Exception.class, () -> compact.treeToValue(twice, DatasetState.class), "a guid twice");
        ObjectNode unknown = good.deepCopy();
        unknown.put("snapshotsByTxg", "something new");
        assertThrows(Exception.class, () -> compact.treeToValue(unknown, DatasetState.class), "an unknown field");
        // the plain JSON of revision 1 is not mistaken for the compact form either
        assertThrows(Exception.class, () -> compact.treeToValue(json.valueToTree(rich()), DatasetState.class));
    }
}
