package io.zsentinel.replication.dataset;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The JSON of a {@link DatasetState} in Axon's snapshots of a {@link DatasetAggregate}
 * ({@link DatasetAggregate#SNAPSHOT_REVISION} 2): an object of the state's components, in which the
 * snapshots, all but a few bytes of a long history, are one array per snapshot instead of an object
 * with repeated field names, read and written by streaming instead of data binding:
 * <pre>
 * "snapshots": [[name, guid, createtxg, createdSecond, createdNano, usedBytes, referencedBytes, userRefs], …]
 * </pre>
 * {@code name} is the short name when the snapshot is of the state's own dataset (the usual case), else the
 * full {@code dataset@name} (a short name never holds '@'); {@code guid} is its 64 bits as a signed JSON
 * number (read back exactly as a long, never through a double); {@code created} is the instant's epoch
 * second and nanosecond. Order is the state's (insertion) order. The other components are small and use
 * the project's JSON of their types. A 10,000-snapshot state: 0.5 MB instead of 1.6 MB, read by Jackson
 * in 2–3 ms instead of 15–20 (docs/benchmarks.md). Anything else (a row with a missing or extra value or
 * another type, a missing component, an unknown field) is an error, so Axon's store skips the snapshot and
 * replays the events instead of reading it half-right.
 * <p>
 * A component added to {@link DatasetState} or {@link SnapshotInfo} must be added here and the revision
 * bumped ({@code CompactStateTest} fails until it is).
 */
public final class CompactState {
    static final String ID = "id";
    static final String REGISTERED = "registered";
    static final String LAST_INVENTORY_AT = "lastInventoryAt";
    static final String POLICY = "policy";
    static final String LAST_SLOTS = "lastSlots";
    static final String PENDING = "pending";
    static final String CHECKPOINTS = "checkpoints";
    static final String PROTECTIONS = "protections";
    static final String SNAPSHOTS = "snapshots";
    /** Values per snapshot row. */
    static final int ROW = 8;

    private static final TypeReference<Map<SnapshotClass, Instant>> LAST_SLOTS_TYPE = new TypeReference<>() { };
    private static final TypeReference<Map<UUID, PendingCommand>> PENDING_TYPE = new TypeReference<>() { };
    private static final TypeReference<LinkedHashSet<SnapshotName>> CHECKPOINTS_TYPE = new TypeReference<>() { };
    private static final TypeReference<Map<Guid, Map<String, ProtectionKind>>> PROTECTIONS_TYPE =
            new TypeReference<>() { };

    private CompactState() {
    }

    /** Writes a state in the compact form. */
    public static final class Writer extends StdSerializer<DatasetState> {
        public Writer() {
            super(DatasetState.class);
        }

        @Override
        public void serialize(DatasetState state, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeStringField(ID, state.id().toString());
            gen.writeBooleanField(REGISTERED, state.registered());
            provider.defaultSerializeField(LAST_INVENTORY_AT, state.lastInventoryAt(), gen);
            provider.defaultSerializeField(POLICY, state.policy(), gen);
            provider.defaultSerializeField(LAST_SLOTS, state.lastSlots(), gen);
            provider.defaultSerializeField(PENDING, state.pending(), gen);
            provider.defaultSerializeField(CHECKPOINTS, state.checkpoints(), gen);
            provider.defaultSerializeField(PROTECTIONS, state.protections(), gen);
            gen.writeFieldName(SNAPSHOTS);
            gen.writeStartArray();
            DatasetName own = state.id().dataset();
            for (SnapshotInfo s : state.snapshots().values()) {
                gen.writeStartArray();
                gen.writeString(s.name().dataset().equals(own) ? s.name().shortName() : s.name().full());
                gen.writeNumber(s.guid().bits());
                gen.writeNumber(s.createtxg());
                gen.writeNumber(s.created().getEpochSecond());
                gen.writeNumber(s.created().getNano());
                gen.writeNumber(s.usedBytes());
                gen.writeNumber(s.referencedBytes());
                gen.writeNumber(s.userRefs());
                gen.writeEndArray();
            }
            gen.writeEndArray();
            gen.writeEndObject();
        }
    }

    /** Reads a state written by {@link Writer}; fails on anything else. */
    public static final class Reader extends StdDeserializer<DatasetState> {
        public Reader() {
            super(DatasetState.class);
        }

        @Override
        public DatasetState deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                return (DatasetState) ctxt.handleUnexpectedToken(DatasetState.class, p);
            }
            DatasetId id = null;
            Boolean registered = null;
            Instant lastInventoryAt = null;
            RetentionPolicy policy = null;
            Map<SnapshotClass, Instant> lastSlots = null;
            Map<UUID, PendingCommand> pending = null;
            Set<SnapshotName> checkpoints = null;
            Map<Guid, Map<String, ProtectionKind>> protections = null;
            Map<Guid, SnapshotInfo> snapshots = null;
            boolean policySeen = false;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                switch (field) {
                    case ID -> id = DatasetId.parse(p.getValueAsString());
                    case REGISTERED -> registered = value == JsonToken.VALUE_TRUE ? Boolean.TRUE
                            : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                    case LAST_INVENTORY_AT -> lastInventoryAt = ctxt.readValue(p, Instant.class);
                    case POLICY -> {
                        policySeen = true;
                        policy = value == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, RetentionPolicy.class);
                    }
                    case LAST_SLOTS -> lastSlots = ctxt.readValue(p, type(ctxt, LAST_SLOTS_TYPE));
                    case PENDING -> pending = ctxt.readValue(p, type(ctxt, PENDING_TYPE));
                    case CHECKPOINTS -> checkpoints = ctxt.readValue(p, type(ctxt, CHECKPOINTS_TYPE));
                    case PROTECTIONS -> protections = ctxt.readValue(p, type(ctxt, PROTECTIONS_TYPE));
                    case SNAPSHOTS -> {
                        if (id == null) {
                            ctxt.reportInputMismatch(DatasetState.class, "\"%s\" before \"%s\"", SNAPSHOTS, ID);
                        }
                        snapshots = snapshots(p, ctxt, id.dataset());
                    }
                    default -> ctxt.reportInputMismatch(DatasetState.class, "unknown field \"%s\"", field);
                }
            }
            if (id == null || registered == null || lastInventoryAt == null || !policySeen || lastSlots == null
                    || pending == null || checkpoints == null || protections == null || snapshots == null) {
                ctxt.reportInputMismatch(DatasetState.class, "a dataset state without one of its components: %s",
                        id == null ? ID : registered == null ? REGISTERED : lastInventoryAt == null ? LAST_INVENTORY_AT
                                : !policySeen ? POLICY : lastSlots == null ? LAST_SLOTS : pending == null ? PENDING
                                : checkpoints == null ? CHECKPOINTS : protections == null ? PROTECTIONS : SNAPSHOTS);
            }
            // nobody else holds the map just read: the state keeps it instead of copying it
            return new DatasetState(id, registered, Frozen.map(snapshots), lastInventoryAt, policy, lastSlots, pending,
                    checkpoints, protections);
        }

        private static JavaType type(DeserializationContext ctxt, TypeReference<?> type) {
            return ctxt.getTypeFactory().constructType(type);
        }

        private static Map<Guid, SnapshotInfo> snapshots(JsonParser p, DeserializationContext ctxt, DatasetName own)
                throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                ctxt.reportInputMismatch(DatasetState.class, "\"%s\" is not an array", SNAPSHOTS);
            }
            Map<Guid, SnapshotInfo> snapshots = new LinkedHashMap<>();
            long[] numbers = new long[ROW - 1];
            for (JsonToken row = p.nextToken(); row != JsonToken.END_ARRAY; row = p.nextToken()) {
                if (row != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_STRING) {
                    ctxt.reportInputMismatch(DatasetState.class, "snapshot %d is not [name, %d numbers]",
                            snapshots.size(), ROW - 1);
                }
                String name = p.getText();
                for (int i = 0; i < numbers.length; i++) {
                    if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                        ctxt.reportInputMismatch(DatasetState.class, "snapshot %d (%s) is not [name, %d numbers]",
                                snapshots.size(), name, ROW - 1);
                    }
                    numbers[i] = p.getLongValue();
                }
                if (p.nextToken() != JsonToken.END_ARRAY) {
                    ctxt.reportInputMismatch(DatasetState.class, "snapshot %d (%s) has more than %d values",
                            snapshots.size(), name, ROW);
                }
                if (numbers[3] < 0 || numbers[3] > 999_999_999) {
                    ctxt.reportInputMismatch(DatasetState.class, "snapshot %d (%s) has nanosecond %d", snapshots.size(),
                            name, numbers[3]);
                }
                SnapshotName snapshotName = name.indexOf('@') < 0 ? new SnapshotName(own, name)
                        : SnapshotName.parse(name);
                SnapshotInfo s = new SnapshotInfo(snapshotName, new Guid(numbers[0]), numbers[1],
                        Instant.ofEpochSecond(numbers[2], numbers[3]), numbers[4], numbers[5], numbers[6]);
                if (snapshots.put(s.guid(), s) != null) {
                    ctxt.reportInputMismatch(DatasetState.class, "snapshot guid %s twice", s.guid());
                }
            }
            return snapshots;
        }
    }
}
