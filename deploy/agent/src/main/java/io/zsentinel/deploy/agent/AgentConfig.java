package io.zsentinel.deploy.agent;

import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;

import io.zsentinel.deploy.transfer.TransferSettings;
import io.zsentinel.deploy.transfer.TransferTarget;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;

/**
 * {@code zsentinel agent --config agent.yaml}: which server this is, which pools to watch and report,
 * how often. Example:
 * <pre>
 * server: primary
 * kafka: { bootstrap: "10.0.0.5:9092" }
 * pools: [ primary ]
 * heartbeatSeconds: 3
 * scanSeconds: 2
 * restoreDirectory: /var/lib/zsentinel/restore   # optional; where RestoreFromSnapshot copies files
 * targets:                                        # optional; how StartTransfer reaches each target server
 *   standby: { transport: local }                 # (a server not listed is local)
 *   offsite: { transport: ssh, host: 10.1.0.7, user: zsentinel, port: 22, identityFile: /etc/zsentinel/id_ed25519 }
 * transfers: { progressSeconds: 1, bufferKib: 1024, pipe: auto }   # optional; stall and breaker are the link's
 * leaseSeconds: 10                                # optional; a primary cut off from Kafka this long demotes itself
 * hooks: { demote: { command: ["/etc/zsentinel/unserve.sh"], timeoutSeconds: 30 } }   # optional
 * probePort: 7380                                 # optional; peers connect here to see this server is up
 * peers:                                          # optional; servers whose agents this one probes every heartbeat
 *   standby: { host: 10.0.0.6 }                   # port: theirs if it differs from this probePort
 * stateDirectory: /var/lib/zsentinel/agent        # optional (advised); the highest controller epoch seen and the
 *                                                 # lease's last renewal, kept across restarts (a lease that ran
 *                                                 # out while the agent was down stands its primaries down at
 *                                                 # start); without it the agent forgets both when it stops
 * </pre>
 * An ssh transfer target that is not a peer is probed too, at its ssh port.
 * The peers' probes travel in the heartbeats: the controller declares a silent server failed only when its peers
 * cannot reach it either (or its pool is gone), so give each server of a service its partners as peers.
 */
public record AgentConfig(ServerId server, KafkaConfig kafka, List<PoolName> pools, Integer heartbeatSeconds,
                          Integer scanSeconds, String zfsCommand, String zpoolCommand, String restoreDirectory,
                          Map<String, TransferTarget> targets, TransferSettings transfers, Integer leaseSeconds,
                          AgentHooks hooks, Integer probePort, Map<String, PeerAddress> peers,
                          String stateDirectory) {
    public AgentConfig(ServerId server, KafkaConfig kafka, List<PoolName> pools, Integer heartbeatSeconds,
                       Integer scanSeconds, String zfsCommand, String zpoolCommand, String restoreDirectory,
                       Map<String, TransferTarget> targets, TransferSettings transfers, Integer leaseSeconds,
                       AgentHooks hooks, Integer probePort, Map<String, PeerAddress> peers) {
        this(server, kafka, pools, heartbeatSeconds, scanSeconds, zfsCommand, zpoolCommand, restoreDirectory, targets,
                transfers, leaseSeconds, hooks, probePort, peers, null);
    }

    /**
     * How long a primary keeps serving without the broker acknowledging its heartbeats: then its agent makes its
     * primary datasets read-only and runs the demote hook ({@link PrimaryLease}).
     */
    public static final int DEFAULT_LEASE_SECONDS = 10;
    /** Where restored files go when a restore command names no target directory. */
    public static final String DEFAULT_RESTORE_DIRECTORY = "/var/lib/zsentinel/restore";

    public AgentConfig(ServerId server, KafkaConfig kafka, List<PoolName> pools, Integer heartbeatSeconds,
                       Integer scanSeconds, String zfsCommand, String zpoolCommand, String restoreDirectory,
                       Map<String, TransferTarget> targets, TransferSettings transfers, Integer leaseSeconds,
                       AgentHooks hooks) {
        this(server, kafka, pools, heartbeatSeconds, scanSeconds, zfsCommand, zpoolCommand, restoreDirectory, targets,
                transfers, leaseSeconds, hooks, null, null);
    }

    public AgentConfig(ServerId server, KafkaConfig kafka, List<PoolName> pools, Integer heartbeatSeconds,
                       Integer scanSeconds, String zfsCommand, String zpoolCommand) {
        this(server, kafka, pools, heartbeatSeconds, scanSeconds, zfsCommand, zpoolCommand, null);
    }

    public AgentConfig(ServerId server, KafkaConfig kafka, List<PoolName> pools, Integer heartbeatSeconds,
                       Integer scanSeconds, String zfsCommand, String zpoolCommand, String restoreDirectory) {
        this(server, kafka, pools, heartbeatSeconds, scanSeconds, zfsCommand, zpoolCommand, restoreDirectory, null, null,
                null, null);
    }

    public AgentConfig {
        Objects.requireNonNull(server, "server is required");
        Objects.requireNonNull(kafka, "kafka is required");
        if (pools == null || pools.isEmpty()) {
            throw new IllegalArgumentException("pools: list at least one pool to watch");
        }
        pools = List.copyOf(pools);
        heartbeatSeconds = positive(heartbeatSeconds, 3, "heartbeatSeconds");
        scanSeconds = positive(scanSeconds, 2, "scanSeconds");
        zfsCommand = zfsCommand == null ? "zfs" : zfsCommand;
        zpoolCommand = zpoolCommand == null ? "zpool" : zpoolCommand;
        restoreDirectory = restoreDirectory == null || restoreDirectory.isBlank() ? DEFAULT_RESTORE_DIRECTORY
                : restoreDirectory;
        targets = targets == null ? Map.of() : Map.copyOf(targets);
        transfers = transfers == null ? TransferSettings.DEFAULTS : transfers;
        leaseSeconds = positive(leaseSeconds, Math.max(DEFAULT_LEASE_SECONDS, 2 * heartbeatSeconds), "leaseSeconds");
        if (leaseSeconds < 2 * heartbeatSeconds) {
            throw new IllegalArgumentException("leaseSeconds (" + leaseSeconds + ") must be at least twice heartbeatSeconds ("
                    + heartbeatSeconds + "): one late heartbeat must not end the lease");
        }
        hooks = hooks == null ? AgentHooks.NONE : hooks;
        if (probePort != null && (probePort < 0 || probePort > 65535)) {
            throw new IllegalArgumentException("probePort " + probePort + " is not between 1 and 65535 (0: any free port)");
        }
        peers = peers == null ? Map.of() : Map.copyOf(peers);
        for (Map.Entry<String, PeerAddress> peer : peers.entrySet()) {
            if (new ServerId(peer.getKey()).equals(server)) {
                throw new IllegalArgumentException("peers: " + peer.getKey() + " is this server itself; list the other"
                        + " servers whose agents this one probes");
            }
            if (peer.getValue().port() == null && (probePort == null || probePort == 0)) {
                throw new IllegalArgumentException("peers: " + peer.getKey() + " has no port and probePort is not set;"
                        + " give the peer's port (port: 7380) or set probePort, which peers then share");
            }
        }
        if (!restoreDirectory.startsWith("/")) {
            throw new IllegalArgumentException("restoreDirectory must be an absolute path, not \"" + restoreDirectory + "\"");
        }
        stateDirectory = stateDirectory == null || stateDirectory.isBlank() ? null : stateDirectory;
        if (stateDirectory != null && !stateDirectory.startsWith("/")) {
            throw new IllegalArgumentException("stateDirectory must be an absolute path, not \"" + stateDirectory + "\"");
        }
    }

    /** Transfer targets by server id; a server not listed is reached locally. */
    public Map<ServerId, TransferTarget> transferTargets() {
        Map<ServerId, TransferTarget> byServer = new HashMap<>();
        targets.forEach((id, target) -> byServer.put(new ServerId(id), target));
        return byServer;
    }

    /**
     * The peers to probe, by server id, each at its own port or else at this agent's {@code probePort}; and each ssh
     * transfer target not listed as a peer, at its ssh port (its sshd answering says the host is up, not its agent).
     */
    public Map<ServerId, java.net.InetSocketAddress> peerAddresses() {
        Map<ServerId, java.net.InetSocketAddress> byServer = new java.util.TreeMap<>();
        targets.forEach((id, target) -> {
            if (target.transport() == TransferTarget.Transport.SSH && !new ServerId(id).equals(server)) {
                byServer.put(new ServerId(id), java.net.InetSocketAddress.createUnresolved(target.host(), target.port()));
            }
        });
        peers.forEach((id, peer) -> byServer.put(new ServerId(id),
                java.net.InetSocketAddress.createUnresolved(peer.host(), peer.port() != null ? peer.port() : probePort)));
        return byServer;
    }

    public Path restoreDirectoryPath() {
        return Path.of(restoreDirectory);
    }

    private static int positive(Integer value, int fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > 3600) {
            throw new IllegalArgumentException(name + " must be between 1 and 3600, not " + value);
        }
        return value;
    }
}
