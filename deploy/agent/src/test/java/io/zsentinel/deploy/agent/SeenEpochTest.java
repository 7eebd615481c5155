package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.agentcommands.DemoteDataset;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The highest controller epoch an agent saw survives its restart, so a deposed controller stays refused. */
class SeenEpochTest {
    static final ServerId SERVER = ServerId.of("primary");
    static final DatasetName ELSEWHERE = DatasetName.of("elsewhere/vm1");

    @TempDir
    Path state;

    @Test
    void theHighestEpochIsWrittenAndReadBack() throws Exception {
        SeenEpoch seen = SeenEpoch.persistedIn(state, "dc1", SERVER);
        assertEquals(0, seen.highest());
        assertEquals(3, seen.observe(3));
        assertEquals(3, seen.observe(2), "an older epoch does not lower it");
        assertEquals("3", Files.readString(state.resolve("controller-epoch-dc1-primary")).strip());
        assertEquals(3, SeenEpoch.persistedIn(state, "dc1", SERVER).highest());
        assertEquals(0, SeenEpoch.persistedIn(state, "dc2", SERVER).highest(), "another cell has its own");
    }

    @Test
    void aRestartedAgentRefusesTheEpochsBeforeTheHighestItSaw() {
        CommandExecutor before = executor();
        // a command of epoch 3 raises the epoch even when it is refused for another reason (here: not its pool)
        CommandRejected other = assertInstanceOf(CommandRejected.class, before.execute(demote(3)).orElseThrow());
        assertTrue(other.reason().contains("is not a dataset of"), other.reason());
        assertEquals(3, before.epoch());

        CommandExecutor restarted = executor();
        assertEquals(3, restarted.epoch(), "read back from the state directory");
        AgentFact stale = restarted.execute(demote(2)).orElseThrow();
        CommandRejected rejected = assertInstanceOf(CommandRejected.class, stale);
        assertTrue(rejected.reason().contains("controller epoch 2 is older than epoch 3"), rejected.reason());
    }

    @Test
    void anEpochThatCannotBeWrittenIsRefusedAndNotRemembered() throws Exception {
        SeenEpoch seen = SeenEpoch.persistedIn(state, "", SERVER);
        Files.createDirectory(state.resolve("controller-epoch-primary.tmp")); // the temporary file cannot be made
        assertThrows(UncheckedIOException.class, () -> seen.observe(5));
        assertEquals(0, seen.highest());
        CommandExecutor executor = new CommandExecutor(SERVER, null).rememberEpochIn(seen);
        CommandRejected rejected = assertInstanceOf(CommandRejected.class, executor.execute(demote(5)).orElseThrow());
        assertTrue(rejected.reason().contains("cannot record controller epoch 5"), rejected.reason());
    }

    @Test
    void aFileThatHoldsNoEpochStopsTheAgent() throws Exception {
        Files.writeString(state.resolve("controller-epoch-primary"), "garbage");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SeenEpoch.persistedIn(state, "", SERVER));
        assertTrue(e.getMessage().contains("does not hold a controller epoch"), e.getMessage());
    }

    private CommandExecutor executor() {
        return new CommandExecutor(SERVER, null).ownPools(List.of(PoolName.of("primary")))
                .rememberEpochIn(SeenEpoch.persistedIn(state, "", SERVER));
    }

    private static DemoteDataset demote(long epoch) {
        return new DemoteDataset(UUID.randomUUID(), SERVER, epoch, ELSEWHERE, "vm1", 2);
    }
}
