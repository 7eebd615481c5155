package io.zsentinel.core.messages;

import io.zsentinel.core.messages.agentcommands.DemoteDataset;
import io.zsentinel.core.messages.agentcommands.PromoteDataset;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Promote and demote as they travel to an agent: checked on construction, read back whole. */
class ServiceCommandsTest {
    private static final DatasetName VM1 = DatasetName.of("standby/vm1");
    private static final ServerId STANDBY = ServerId.of("standby");
    private final EnvelopeCodec codec = new EnvelopeCodec(CoreMessages.types());

    @Test
    void promoteAndDemoteTravelWhole() {
        PromoteDataset promote = new PromoteDataset(UUID.randomUUID(), STANDBY, 1, VM1, "vm-storage", 7, VM1.snapshot("s1"));
        DemoteDataset demote = new DemoteDataset(UUID.randomUUID(), STANDBY, 1, VM1, "vm-storage", 7);
        Instant at = Instant.parse("2026-12-01T08:00:00Z");
        assertEquals(promote, codec.decode(codec.encode(codec.wrap(promote, "controller", at))).payload());
        assertEquals(demote, codec.decode(codec.encode(codec.wrap(demote, "controller", at))).payload());
    }

    @Test
    void aGenerationStartsAtOneAServiceIsANameAndTheRollbackIsTheDatasetsOwn() {
        UUID id = UUID.randomUUID();
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new PromoteDataset(id, STANDBY, 1, VM1, "vm-storage", 0, null)).getMessage()
                .contains("a generation starts at 1"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new DemoteDataset(id, STANDBY, 1, VM1, "vm;reboot", 1)).getMessage()
                .contains("a service name is"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new PromoteDataset(id, STANDBY, 1, VM1, "vm-storage", 1, DatasetName.of("standby/vm2").snapshot("s1")))
                .getMessage().contains("is not a snapshot of standby/vm1"));
    }
}
