package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.agentcommands.DemoteDataset;
import io.zsentinel.core.messages.agentcommands.PromoteDataset;
import io.zsentinel.core.messages.agentcommands.TakeSnapshot;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Orders older than the command TTL are skipped, except demotions: a former primary back after days stops serving. */
class StaleCommandTest {
    static final ServerId SERVER = ServerId.of("primary");
    static final DatasetName VM1 = DatasetName.of("primary/vm1");
    static final Instant ISSUED = Instant.parse("2026-12-02T07:00:00Z");
    static final Instant LATE = ISSUED.plus(Agent.COMMAND_TTL).plusSeconds(1);

    @Test
    void anOrderPastItsTtlIsStaleButNotBefore() {
        TakeSnapshot snapshot = new TakeSnapshot(UUID.randomUUID(), SERVER, 1, VM1.snapshot("s1"));
        assertFalse(Agent.stale(snapshot, ISSUED, ISSUED.plus(Agent.COMMAND_TTL)));
        assertTrue(Agent.stale(snapshot, ISSUED, LATE));
        assertTrue(Agent.stale(new PromoteDataset(UUID.randomUUID(), SERVER, 1, VM1, "vm1", 2, null), ISSUED, LATE),
                "a late promotion could make a second primary");
    }

    @Test
    void aDemotionIsNeverStale() {
        assertFalse(Agent.stale(new DemoteDataset(UUID.randomUUID(), SERVER, 1, VM1, "vm1", 2), ISSUED,
                ISSUED.plus(java.time.Duration.ofDays(3))));
    }
}
