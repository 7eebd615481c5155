package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The agent is alive; {@code epoch} is the newest controller epoch it has accepted; {@code peers} the latest probe
 * of each peer agent it watches (none in heartbeats of agents without peers, and of older agents).
 */
public record AgentHeartbeat(ServerId server, long epoch, Instant at, List<PeerProbe> peers) implements AgentFact {
    public AgentHeartbeat(ServerId server, long epoch, Instant at) {
        this(server, epoch, at, List.of());
    }

    public AgentHeartbeat {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(at, "at");
        peers = List.copyOf(peers == null ? List.of() : peers);
        for (PeerProbe p : peers) {
            if (p.peer().equals(server)) {
                throw new IllegalArgumentException("server " + server + " reports a probe of itself: a peer must be another server");
            }
        }
    }
}
