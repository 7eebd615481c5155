package io.zsentinel.deploy.lab;

import io.zsentinel.deploy.broker.EmbeddedKafkaBroker;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.CommandRunner;
import io.zsentinel.core.zfs.ProcessCommandRunner;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.deploy.agent.PeerAddress;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything on one machine: three file-backed pools (primary, standby, offsite), an in-process
 * Kafka broker, an embedded PostgreSQL, the controller with its dashboard, and three agents, each a process of its
 * own ({@link AgentProcess}: a fault can crash or freeze one server and leave the rest running), its output in
 * {@code DIR/logs/SERVER.log}.
 */
public final class Lab implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lab.class);
    public static final List<String> SERVERS = List.of("primary", "standby", "offsite");

    /**
     * {@code fence}: the service gets the lab's fence hook ({@link LabService}), which powers the failed server off the
     * way IPMI would; without it a failover waits for the failed primary's lease to lapse.
     */
    public record Options(Path dir, boolean reset, int httpPort, int kafkaPort, boolean fence) {
        public Options(Path dir, boolean reset, int httpPort, int kafkaPort) {
            this(dir, reset, httpPort, kafkaPort, false);
        }
    }

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private ControllerApp controller;
    private final Map<String, AgentProcess> agents = new LinkedHashMap<>();

    private Lab() {
    }

    public static Lab start(Options options) throws IOException {
        Lab lab = new Lab();
        try {
            lab.startAll(options);
            return lab;
        } catch (RuntimeException | IOException e) {
            lab.close();
            throw e;
        }
    }

    private void startAll(Options options) throws IOException {
        Path dir = options.dir().toAbsolutePath();
        LabLock lock = LabLock.acquire(dir); // first: a second lab in the directory stops here, having touched nothing
        started.push(lock);
        CommandRunner runner = new ProcessCommandRunner();
        ZfsAvailability.require(runner);
        LabPools pools = new LabPools(dir, runner);
        if (options.reset()) {
            reset(dir, pools);
        }
        Files.createDirectories(dir);
        LabConfig labConfig = LabConfig.load(dir);
        for (String server : SERVERS) {
            pools.ensure(new PoolName(server), server.equals(SERVERS.get(0)));
        }
        writeEndpointIfMissing(dir, runner);
        for (String server : SERVERS) {
            Files.deleteIfExists(downMarker(dir, server)); // every server starts up, whatever the last run left
        }
        LabNetwork network = null;
        if (LabNetwork.available(runner)) {
            network = LabNetwork.create(runner, networkName(dir), subnet(dir), SERVERS);
            started.push(network);
        } else {
            log.warn("lab without network namespaces (they need root and iproute2): its agents share this machine's"
                    + " network and a partition fault is refused");
        }
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder()
                .host(network == null ? "127.0.0.1" : network.hostAddress())
                .dataDir(dir.resolve("kafka"))
                .brokerPort(options.kafkaPort())
                .fallbackToFreePort(true)
                .start();
        started.push(kafka);
        EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start(dir.resolve("postgres"));
        started.push(postgres);
        KafkaConfig kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "");
        controller = ControllerApp.start(new ControllerConfig(kafkaConfig, null,
                new ControllerConfig.HttpConfig("127.0.0.1", options.httpPort()), null, labConfig.retention(),
                labConfig.replication(), List.of(LabService.write(dir, options.fence()))),
                postgres.dataSource(), Clock.systemUTC());
        started.push(controller);
        Map<String, PeerAddress> probes = probeAddresses(network);
        for (String server : SERVERS) {
            AgentProcess agent = AgentProcess.start(new ServerId(server),
                    writeAgentConfig(dir, server, kafka.bootstrapServers(), probes),
                    dir.resolve("logs").resolve(server + ".log"), network == null ? List.of() : network.inside(server));
            started.push(agent);
            agents.put(server, agent);
        }
        started.push(LabControl.serve(dir, new LabFaults(this::agent, pools, network, server -> downMarker(dir, server))::handle));
        lock.running(dashboard());
        log.info("lab in {}: Kafka {}, PostgreSQL {}", dir, kafka.bootstrapServers(), postgres.jdbcUrl());
    }

    /** The lab's service: vm1, served from primary/vm1 until a failover's promote hook moves it. */
    public static final String SERVICE = "vm1";

    /** {@code DIR/service/SERVICE.endpoint}: "SERVER DIRECTORY", where clients find the service ({@link LabClient}). */
    public static Path endpointFile(Path dir, String service) {
        return dir.toAbsolutePath().resolve("service").resolve(service + ".endpoint");
    }

    /**
     * {@code DIR/service/down/SERVER}: present while SERVER is off (crashed, fenced) or its pool is gone — its address
     * answers nothing, as a server's service address dies with it, so clients ({@link LabClient}) stop writing there
     * before its pool is exported (a write racing the export could leave zfs-fuse holding the pool).
     */
    public static Path downMarker(Path dir, String server) {
        return dir.toAbsolutePath().resolve("service").resolve("down").resolve(server);
    }

    private static void writeEndpointIfMissing(Path dir, CommandRunner runner) throws IOException {
        Path file = endpointFile(dir, SERVICE);
        if (Files.exists(file)) {
            return; // where the last switch left it
        }
        PoolName pool = new PoolName(SERVERS.get(0));
        DatasetName dataset = DatasetName.of(pool.value()).child(SERVICE);
        Path mountpoint = ZfsDriver.detect(runner, pool).mountpoint(dataset)
                .orElseThrow(() -> new LabException(dataset + " is not mounted (mountpoint none or legacy)"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, pool.value() + " " + mountpoint + "\n");
    }

    /** The lab's network's name: short (interface names are), the same for the same directory, unlike another's. */
    static String networkName(Path dir) {
        return "zl" + String.format("%06x", dir.toAbsolutePath().normalize().toString().hashCode() & 0xffffff);
    }

    /** The third byte of the lab network's 10.213.N.0/24, from its directory like its name. */
    static int subnet(Path dir) {
        return 16 + Math.floorMod(dir.toAbsolutePath().normalize().toString().hashCode() >>> 8, 224);
    }

    /** The lab server's agent.yaml (as an operator would write it), in {@code DIR/agents/}. */
    static Path writeAgentConfig(Path dir, String server, String bootstrap) throws IOException {
        return writeAgentConfig(dir, server, bootstrap, Map.of());
    }

    /**
     * As {@link #writeAgentConfig(Path, String, String)}, the agent listening for probes at its entry of
     * {@code probes} (when it has one) and probing every other server there: the failure detector's second opinion.
     */
    static Path writeAgentConfig(Path dir, String server, String bootstrap, Map<String, PeerAddress> probes)
            throws IOException {
        ServerId id = new ServerId(server);
        PoolName pool = new PoolName(server);
        Path file = dir.resolve("agents").resolve(server + ".yaml");
        Files.createDirectories(file.getParent());
        StringBuilder yaml = new StringBuilder("# written by the lab at every start\n"
                + "server: \"" + id.value() + "\"\n"
                + "kafka: { bootstrap: \"" + bootstrap + "\" }\n"
                + "pools: [ \"" + pool.value() + "\" ]\n"
                + "heartbeatSeconds: 2\n"
                + "scanSeconds: 2\n"
                // beside the lab's PostgreSQL, so the epochs it holds and the controller lease's live and go together
                + "stateDirectory: \"" + dir.toAbsolutePath().resolve("agents").resolve("state") + "\"\n");
        PeerAddress own = probes.get(server);
        if (own != null) {
            yaml.append("probePort: ").append(own.port()).append("\npeers:\n");
            probes.forEach((peer, address) -> {
                if (!peer.equals(server)) {
                    yaml.append("  \"").append(peer).append("\": { host: \"").append(address.host())
                            .append("\", port: ").append(address.port()).append(" }\n");
                }
            });
        }
        Files.writeString(file, yaml.toString());
        return file;
    }

    /**
     * Where each lab server's agent listens for its peers' probes: its own address in the lab network (the machine's
     * loopback without one) and a port free on this machine now, chosen per start so that labs side by side (and
     * tests) never collide.
     */
    static Map<String, PeerAddress> probeAddresses(LabNetwork network) {
        Map<String, PeerAddress> probes = new LinkedHashMap<>();
        List<java.net.ServerSocket> held = new java.util.ArrayList<>();
        try {
            for (String server : SERVERS) {
                // each socket stays open until all are chosen: one closed at once could be handed out again
                java.net.ServerSocket socket = new java.net.ServerSocket(0);
                held.add(socket);
                probes.put(server, new PeerAddress(network == null ? "127.0.0.1" : network.addressOf(server),
                        socket.getLocalPort()));
            }
        } catch (IOException e) {
            throw new LabException("no free port for the agents' peer probes: " + e.getMessage(), e);
        } finally {
            for (java.net.ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    log.debug("closing a probe port's placeholder: {}", e.toString());
                }
            }
        }
        return probes;
    }

    /** The agent process of a lab server ({@link #SERVERS}). */
    public AgentProcess agent(String server) {
        AgentProcess agent = agents.get(server);
        if (agent == null) {
            throw new LabException("no lab server " + server + "; the lab's servers: " + String.join(", ", SERVERS));
        }
        return agent;
    }

    /**
     * Destroys the pools of the (stopped) lab in {@code dir} — only those whose device is that lab's file: a
     * benchmark's labs leave no pool named primary behind for the operator's own lab to trip over.
     */
    public static void destroyPools(Path dir) {
        LabPools pools = new LabPools(dir.toAbsolutePath(), new ProcessCommandRunner());
        for (String server : SERVERS) {
            pools.destroy(new PoolName(server));
        }
    }

    private static void reset(Path dir, LabPools pools) throws IOException {
        for (String server : SERVERS) {
            pools.destroy(new PoolName(server));
        }
        try (Stream<Path> files = Files.walk(dir)) { // all but the directory and the lock this lab holds
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir) && !(p.getParent().equals(dir) && LabLock.isLockFile(p))) {
                    Files.delete(p);
                }
            }
        }
        log.info("lab reset: pools and data under {} destroyed", dir);
    }

    public int httpPort() {
        return controller.httpPort();
    }

    /** The dashboard's (and REST API's) address. */
    public String dashboard() {
        return "http://127.0.0.1:" + httpPort() + "/";
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("while stopping the lab: {} did not close cleanly: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
