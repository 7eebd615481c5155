package io.zsentinel.deploy.lab;

import io.zsentinel.core.values.PoolName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Real faults on one lab server ({@code zsentinel lab fault SERVER --kind ...}, undone by {@code lab heal SERVER}):
 * <ul>
 *   <li>{@code crash}: the server is gone — its agent killed (SIGKILL) and its pool exported, as after a power cut;
 *       heal imports the pool and starts the agent again. The fault counts from the kill: an export that fails (a
 *       process holding the pool) leaves it recorded, so heal still undoes it;</li>
 *   <li>{@code pool}: the server's pool gone under its running agent (exported: failing a single-disk file pool
 *       for real would hang every pool of the shared zfs-fuse daemon) — its agent goes on reporting, the pool
 *       missing; heal imports it;</li>
 *   <li>{@code freeze}: its agent stopped where it is (SIGSTOP) with its pool still imported and writable — a paused
 *       node that wakes up later believing it still serves; heal resumes it (SIGCONT);</li>
 *   <li>{@code partition}: the server cut off the network ({@link LabNetwork}) while its agent runs and its pool
 *       stays imported; heal connects it again.</li>
 * </ul>
 * And {@code fence SERVER}, what the lab's fence hook asks ({@link LabService}): the server powered off the way IPMI
 * would, whatever fault it has — its agent killed (a frozen one too), its network connected again (the power
 * controller is out of band; the server is off), its pool exported. It answers only when all of that is done, so
 * the hook's success is a confirmed fence; it is recorded as a crash, which heal undoes. Powering off a server that
 * is off already confirms it again.
 * One fault per server at a time. Driven from the lab's control thread only.
 */
final class LabFaults {
    private static final Logger log = LoggerFactory.getLogger(LabFaults.class);

    enum Kind {
        CRASH, POOL, FREEZE, PARTITION;

        static Kind of(String word) {
            try {
                return valueOf(word.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new LabException("unknown fault kind \"" + word + "\"; kinds: crash, pool, freeze, partition");
            }
        }
    }

    private final Function<String, AgentProcess> agents;
    private final LabPools pools;
    /** Null when the lab runs without network namespaces. */
    private final LabNetwork network;
    /** Each server's down marker ({@link Lab#downMarker}): there while it is off or its pool is gone. */
    private final Function<String, Path> downMarkers;
    private final Map<String, Kind> faulted = new HashMap<>();

    LabFaults(Function<String, AgentProcess> agents, LabPools pools, LabNetwork network, Function<String, Path> downMarkers) {
        this.agents = agents;
        this.pools = pools;
        this.network = network;
        this.downMarkers = downMarkers;
    }

    /** The server's address answers nothing from here on: clients stop writing to it before its pool goes. */
    private void down(String server) {
        Path marker = downMarkers.apply(server);
        try {
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, server + " is down\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void up(String server) {
        try {
            Files.deleteIfExists(downMarkers.apply(server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lab control's handler: {@code fault SERVER KIND} or {@code heal SERVER}. */
    String handle(List<String> words) {
        if (words.size() == 3 && words.get(0).equals("fault")) {
            return fault(words.get(1), Kind.of(words.get(2)));
        }
        if (words.size() == 2 && words.get(0).equals("heal")) {
            return heal(words.get(1));
        }
        if (words.size() == 2 && words.get(0).equals("fence")) {
            return fence(words.get(1));
        }
        throw new LabException("unknown lab request \"" + String.join(" ", words)
                + "\"; known: fault SERVER crash|pool|freeze|partition, heal SERVER, fence SERVER");
    }

    String fault(String server, Kind kind) {
        AgentProcess agent = agents.apply(server);
        Kind already = faulted.get(server);
        if (already != null) {
            throw new LabException(server + " already has a " + name(already) + " fault; heal it first: zsentinel lab heal "
                    + server);
        }
        return switch (kind) {
            case CRASH -> crash(server, agent);
            case POOL -> {
                if (!agent.alive()) {
                    throw new LabException("the agent of " + server + " is not running; a pool fault is one under a live"
                            + " agent (crash is the server gone)");
                }
                down(server);
                pools.export(new PoolName(server));
                recorded(server, kind);
                yield server + "'s pool failed: exported under its running agent";
            }
            case FREEZE -> {
                if (!agent.alive()) {
                    throw new LabException("the agent of " + server + " is not running; nothing to freeze");
                }
                agent.freeze();
                recorded(server, kind);
                yield server + " frozen: its agent stopped (SIGSTOP, pid " + agent.pid().orElse(-1L)
                        + "), its pool still imported";
            }
            case PARTITION -> {
                if (network == null) {
                    throw new LabException("this lab runs without network namespaces (they need root and iproute2),"
                            + " so a partition cannot be made real; crash, pool and freeze work");
                }
                network.partition(server);
                recorded(server, kind);
                yield server + " partitioned: its network link is down; its agent runs, its pool is imported";
            }
        };
    }

    private String crash(String server, AgentProcess agent) {
        down(server);
        agent.crash();
        recorded(server, Kind.CRASH); // the server is down from here on, whatever the export does
        try {
            pools.export(new PoolName(server));
        } catch (LabException e) {
            throw new LabException(server + " crashed (its agent killed) but its pool is still imported: "
                    + e.getMessage() + "; zsentinel lab heal " + server + " starts the agent again", e);
        }
        return server + " crashed: its agent killed (SIGKILL), its pool exported";
    }

    String fence(String server) {
        AgentProcess agent = agents.apply(server);
        Kind before = faulted.get(server);
        boolean wasRunning = agent.alive();
        down(server);
        agent.crash(); // SIGKILL: a stopped (frozen) process dies too
        if (before == Kind.PARTITION) {
            network.heal(server); // off now: heal (a crash's) starts its agent on a connected network
        }
        faulted.put(server, Kind.CRASH);
        pools.export(new PoolName(server)); // a busy pool throws: the fence is not confirmed, the hook fails
        log.warn("lab fence: {} powered off ({})", server, before == null ? "it had no fault" : "it had a " + name(before)
                + " fault");
        return server + " is off: " + (wasRunning ? "its agent killed (SIGKILL)" : "its agent was not running")
                + ", its pool exported";
    }

    private void recorded(String server, Kind kind) {
        faulted.put(server, kind);
        log.warn("lab fault: {} {}", name(kind), server);
    }

    String heal(String server) {
        AgentProcess agent = agents.apply(server);
        Kind kind = faulted.remove(server);
        if (kind == null) {
            return server + " has no fault to heal";
        }
        switch (kind) {
            case CRASH -> {
                importAgain(new PoolName(server));
                agent.start();
                up(server);
            }
            case POOL -> {
                importAgain(new PoolName(server));
                up(server);
            }
            case FREEZE -> agent.thaw();
            case PARTITION -> network.heal(server);
        }
        log.warn("lab heal: {} ({})", server, name(kind));
        return server + " healed (" + name(kind) + "): " + (kind == Kind.POOL ? "its pool is imported again"
                : "its agent runs again");
    }

    private static String name(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private void importAgain(PoolName pool) {
        try {
            pools.ensure(pool, false);
            pools.mountAll(pool);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
