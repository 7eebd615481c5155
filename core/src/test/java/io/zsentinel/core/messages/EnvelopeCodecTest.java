package io.zsentinel.core.messages;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvelopeCodecTest {
    private final EnvelopeCodec codec = new EnvelopeCodec(CoreMessages.types());
    private final Instant at = Instant.parse("2026-11-25T10:00:00Z");

    private SnapshotInventoryReported inventory() {
        DatasetName ds = DatasetName.of("primary/vm1");
        return new SnapshotInventoryReported(ServerId.of("primary"), ds,
                List.of(new SnapshotInfo(ds.snapshot("manual-1"), Guid.parse("18446744073709551615"), 42,
                        at, 1024, 2048)), at);
    }

    @Test
    void roundTripKeepsEveryField() {
        Envelope<SnapshotInventoryReported> env = codec.wrap(inventory(), "primary", at);
        String json = codec.encode(env);
        assertTrue(json.contains("\"guid\":\"18446744073709551615\""), json);
        assertTrue(json.contains("\"name\":\"primary/vm1@manual-1\""), json);
        Envelope<Message> back = codec.decode(json);
        assertEquals(env.messageId(), back.messageId());
        assertEquals("SnapshotInventoryReported", back.type());
        assertEquals(1, back.schemaVersion());
        assertEquals(at, back.occurredAt());
        assertEquals(inventory(), back.payload());
    }

    @Test
    void aHeartbeatCarriesItsPeerProbesAndAnOlderOneReadsAsNone() {
        var heartbeat = new io.zsentinel.core.messages.facts.AgentHeartbeat(ServerId.of("standby"), 1, at,
                List.of(new io.zsentinel.core.messages.facts.PeerProbe(ServerId.of("primary"), false, at.minusSeconds(1))));
        assertEquals(heartbeat, codec.decode(codec.encode(codec.wrap(heartbeat, "standby", at))).payload());

        String old = "{\"messageId\":\"6f1c2b1e-0000-4000-8000-000000000000\",\"type\":\"AgentHeartbeat\",\"schemaVersion\":1,"
                + "\"occurredAt\":\"2026-11-25T10:00:00Z\",\"source\":\"x\",\"payload\":{\"server\":\"standby\",\"epoch\":1,"
                + "\"at\":\"2026-11-25T10:00:00Z\"}}";
        assertEquals(new io.zsentinel.core.messages.facts.AgentHeartbeat(ServerId.of("standby"), 1, at),
                codec.decode(old).payload());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[1,2]", "{}",
            "{\"messageId\":\"6f1c2b1e-0000-4000-8000-000000000000\",\"type\":\"NoSuchThing\",\"schemaVersion\":1,\"occurredAt\":\"2026-11-25T10:00:00Z\",\"source\":\"x\",\"payload\":{}}",
            "{\"messageId\":\"6f1c2b1e-0000-4000-8000-000000000000\",\"type\":\"AgentHeartbeat\",\"schemaVersion\":99,\"occurredAt\":\"2026-11-25T10:00:00Z\",\"source\":\"x\",\"payload\":{}}",
            "{\"messageId\":\"nope\",\"type\":\"AgentHeartbeat\",\"schemaVersion\":1,\"occurredAt\":\"2026-11-25T10:00:00Z\",\"source\":\"x\",\"payload\":{}}",
            "{\"messageId\":\"6f1c2b1e-0000-4000-8000-000000000000\",\"type\":\"AgentHeartbeat\",\"schemaVersion\":1,\"occurredAt\":\"2026-11-25T10:00:00Z\",\"source\":\"x\",\"payload\":{\"server\":\"a;b\",\"epoch\":1,\"at\":\"2026-11-25T10:00:00Z\"}}",
            "{\"messageId\":\"6f1c2b1e-0000-4000-8000-000000000000\",\"type\":\"SnapshotInventoryReported\",\"schemaVersion\":1,\"occurredAt\":\"2026-11-25T10:00:00Z\",\"source\":\"x\",\"payload\":{\"server\":\"p\",\"dataset\":\"p/$(reboot)\",\"snapshots\":[],\"at\":\"2026-11-25T10:00:00Z\"}}",
            "{\"messageId\":\"6f1c2b1e-0000-4000-8000-000000000000\",\"type\":\"AgentHeartbeat\",\"schemaVersion\":1,\"occurredAt\":\"2026-11-25T10:00:00Z\",\"source\":\"x\",\"payload\":{\"epoch\":1}}"})
    void malformedInputIsAMalformedMessageWithAReason(String json) {
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> codec.decode(json));
        assertTrue(e.reason() != null && !e.reason().isBlank());
    }

    @Test
    void theTypeIsReadWithoutTheRestWhereverItStandsAndNothingElseCounts() {
        assertEquals(java.util.Optional.of("SnapshotInventoryReported"),
                codec.typeOf(codec.encode(codec.wrap(inventory(), "primary", at))));
        assertEquals(java.util.Optional.of("AgentHeartbeat"),
                codec.typeOf("{\"payload\":{\"type\":\"nested\",\"a\":[1,{\"type\":\"x\"}]},\"type\":\"AgentHeartbeat\"}"));
        for (String notOne : java.util.Arrays.asList(null, "", "garbage", "[1,2]", "{\"type\":7}", "{\"other\":1}", "{\"type\":")) {
            assertEquals(java.util.Optional.empty(), codec.typeOf(notOne), String.valueOf(notOne));
        }
    }

    @Test
    void hostileDatasetNameIsNamedInTheReason() {
        String json = codec.encode(codec.wrap(inventory(), "primary", at)).replace("primary/vm1", "primary/vm1;rm -rf");
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> codec.decode(json));
        assertTrue(e.reason().contains("invalid dataset name"), e.reason());
    }

    @Test
    void aMessageWrittenBeforeAFieldWasAddedReadsItAsZero() {
        // SnapshotInfo gained userRefs after the first release: older messages and stored events lack it.
        String old = "{\"messageId\":\"6f1c2b1e-0000-4000-8000-000000000000\",\"type\":\"SnapshotInventoryReported\","
                + "\"schemaVersion\":1,\"occurredAt\":\"2026-11-25T10:00:00Z\",\"source\":\"primary\",\"payload\":{"
                + "\"server\":\"primary\",\"dataset\":\"primary/vm1\",\"at\":\"2026-11-25T10:00:00Z\",\"snapshots\":[{"
                + "\"name\":\"primary/vm1@a\",\"guid\":\"7\",\"createtxg\":3,\"created\":\"2026-11-25T10:00:00Z\","
                + "\"usedBytes\":0,\"referencedBytes\":10}]}}";
        SnapshotInventoryReported payload = (SnapshotInventoryReported) codec.decode(old).payload();
        assertEquals(0, payload.snapshots().get(0).userRefs());
        assertEquals(new Guid(7), payload.snapshots().get(0).guid());
        assertEquals(List.of(), payload.bookmarks(), "bookmarks came later: none");
        assertEquals(null, payload.writtenBytes(), "written came later: unknown, not 0");
    }

    @Test
    void bookmarksAndWrittenTravelWithTheInventory() {
        DatasetName ds = DatasetName.of("primary/vm1");
        SnapshotInventoryReported r = new SnapshotInventoryReported(ServerId.of("primary"), ds, List.of(), at,
                List.of(new BookmarkInfo(new BookmarkName(ds, "zsentinel-cursor-0a1b2c3d4e5f-7"), new Guid(7), 3, at)),
                4096L);
        String json = codec.encode(codec.wrap(r, "primary", at));
        assertTrue(json.contains("\"name\":\"primary/vm1#zsentinel-cursor-0a1b2c3d4e5f-7\""), json);
        assertEquals(r, codec.decode(json).payload());
        String hostile = json.replace("#zsentinel-cursor", "#$(reboot)");
        assertThrows(MalformedMessageException.class, () -> codec.decode(hostile));
    }
}
