package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether this agent could reach {@code peer}'s agent at {@code at} (a TCP connection to its probe port): the
 * controller's second opinion that tells a dead server from one only the controller cannot hear.
 */
public record PeerProbe(ServerId peer, boolean reachable, Instant at) {
    public PeerProbe {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(at, "at");
    }
}
