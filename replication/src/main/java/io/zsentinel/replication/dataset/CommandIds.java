package io.zsentinel.replication.dataset;

import io.zsentinel.replication.api.DatasetId;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Agent command ids derived from what they are about, not random: the decider stays a pure function,
 * and re-deciding the same thing (a retry, a replayed command) yields the same id, which the agent
 * treats idempotently.
 */
public final class CommandIds {
    private CommandIds() {
    }

    public static UUID of(DatasetId dataset, String... parts) {
        return UUID.nameUUIDFromBytes((dataset + "|" + String.join("|", parts)).getBytes(StandardCharsets.UTF_8));
    }
}
