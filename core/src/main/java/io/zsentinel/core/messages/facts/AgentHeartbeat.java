package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/** The agent is alive; {@code epoch} is the newest controller epoch it has accepted. */
public record AgentHeartbeat(ServerId server, long epoch, Instant at) implements AgentFact {
    public AgentHeartbeat {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(at, "at");
    }
}
