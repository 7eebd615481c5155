package io.zsentinel.deploy.agent;

/**
 * Where a peer's agent listens for probes: under {@code peers} in agent.yaml, keyed by the peer's server id,
 * {@code standby: { host: 10.0.0.6, port: 7380 }}; without a port, the peer's is this agent's {@code probePort}.
 */
public record PeerAddress(String host, Integer port) {
    public PeerAddress {
        if (host == null || host.isBlank() || host.startsWith("-") || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a peer needs a host name or address (no spaces), not \"" + host + "\"");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("peer port " + port + " is not between 1 and 65535");
        }
    }
}
