package io.zsentinel.deploy.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A single-node KRaft Kafka (broker + controller in one process) built from the production jars,
 * for the lab and for tests. Stop/start reuse the same data dir and ports, so a test can "restart
 * the broker" as a fault and clients reconnect to the same address.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    /** Remembers the ports next to the data, so a later run on the same dir keeps its quorum endpoint. */
    private static final String PORTS_FILE = "zsentinel-ports.properties";

    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    /** The clients' listener's address: loopback, or an address other network namespaces reach (the lab's bridge). */
    private final String host;
    private String clusterId;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Builder b, Path dataDir, boolean deleteDataDirOnClose) {
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        Properties remembered = readProperties(dataDir.resolve(PORTS_FILE));
        this.brokerPort = choosePort("broker", b.brokerPort, remembered.getProperty("broker.port"), b.fallbackToFreePort, -1);
        this.controllerPort = choosePort("controller", b.controllerPort, remembered.getProperty("controller.port"), true, brokerPort);
        this.overrides = Map.copyOf(b.overrides);
        this.host = b.host;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A started broker on free ports in a fresh temp dir (deleted on close). */
    public static EmbeddedKafkaBroker startDefault() {
        return builder().start();
    }

    public String bootstrapServers() {
        return host + ":" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The KRaft cluster id; stays the same across restarts on the same data dir. */
    public synchronized String clusterId() {
        return clusterId;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Formats the data dir on first use, then starts the broker; blocks until it is ready. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        long t0 = System.nanoTime();
        Properties props = serverProperties();
        Path propsFile = dataDir.resolve("server.properties");
        writeProperties(props, propsFile);
        writePorts();
        formatIfNeeded(propsFile);
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            s.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(s);
            throw new IllegalStateException("embedded Kafka failed to start on " + bootstrapServers()
                    + " with data dir " + dataDir, e);
        }
        server = s;
        log.info("Embedded Kafka started on {} (controller port {}, cluster {}, data {}) in {} ms",
                bootstrapServers(), controllerPort, clusterId, dataDir, (System.nanoTime() - t0) / 1_000_000);
        return this;
    }

    /** Shuts the broker down and waits for it; data and ports are kept for a later {@link #start()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long t0 = System.nanoTime();
        shutdownQuietly(server);
        server = null;
        log.info("Embedded Kafka on {} stopped in {} ms", bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
    }

    public synchronized void restart() {
        stop();
        start();
    }

    @Override
    public synchronized void close() {
        stop();
        if (deleteDataDirOnClose) {
            deleteRecursively(dataDir);
        }
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        // One node: internal topics cannot have more replicas than brokers.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Few internal partitions: the first consumer group otherwise waits for 50 to be created.
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created explicitly (Topics.createAll), as on a production cluster; a typo must fail.
        p.put("auto.create.topics.enable", "false");
        p.putAll(overrides);
        return p;
    }

    private void formatIfNeeded(Path propsFile) {
        Path meta = dataDir.resolve("logs").resolve("meta.properties");
        if (Files.exists(meta)) {
            // Formatting again would fail (or, forced, lose the cluster id): reuse what is there.
            clusterId = readProperties(meta).getProperty("cluster.id");
            return;
        }
        clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[]{"format", "-t", clusterId, "-c", propsFile.toString(), "--standalone"}, out);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting " + dataDir + " failed (" + rc + "): "
                    + buf.toString(StandardCharsets.UTF_8));
        }
    }

    private void writePorts() {
        Properties p = new Properties();
        p.put("broker.port", Integer.toString(brokerPort));
        p.put("controller.port", Integer.toString(controllerPort));
        writeProperties(p, dataDir.resolve(PORTS_FILE));
    }

    /**
     * A fixed port (>0) must be free, else we fall back (if allowed) or fail with a clear message.
     * Without one, a port remembered in the data dir is preferred (a reopened lab keeps its address).
     */
    private static int choosePort(String what, int requested, String remembered, boolean fallback, int other) {
        if (requested > 0 && requested != other) {
            if (isFree(requested)) {
                return requested;
            }
            if (!fallback) {
                throw new IllegalStateException("Kafka " + what + " port " + requested
                        + " is already in use on " + HOST + " (another Kafka or lab running?)");
            }
            int free = freePort(other);
            log.warn("Kafka {} port {} is in use; using free port {} instead", what, requested, free);
            return free;
        }
        if (remembered != null && Integer.parseInt(remembered) != other && isFree(Integer.parseInt(remembered))) {
            return Integer.parseInt(remembered);
        }
        return freePort(other);
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The kernel may hand out the same ephemeral port twice in a row, so the other listener's port is excluded. */
    private static int freePort(int exclude) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                if (s.getLocalPort() != exclude) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on " + HOST, e);
            }
        }
        throw new IllegalStateException("no free port on " + HOST + " other than " + exclude);
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Embedded Kafka shutdown failed", e);
        }
    }

    private static Properties readProperties(Path file) {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return p;
    }

    private static void writeProperties(Properties p, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "written by zsentinel EmbeddedKafkaBroker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}", dir, e);
        }
    }

    public static final class Builder {
        private Path dataDir;
        private int brokerPort;
        private int controllerPort;
        private boolean fallbackToFreePort;
        private final Map<String, String> overrides = new HashMap<>();
        private String host = HOST;

        private Builder() {
        }

        /**
         * The address the clients' listener binds and advertises (default 127.0.0.1): one of this machine's, e.g. a
         * bridge that processes in other network namespaces reach. The controller listener stays on loopback.
         */
        public Builder host(String address) {
            this.host = address;
            return this;
        }

        /** Where logs and metadata live; reused (not reformatted) if already formatted. Default: a temp dir deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** A fixed client port (e.g. 9092 for the lab); 0 = a free one. */
        public Builder brokerPort(int port) {
            this.brokerPort = port;
            return this;
        }

        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        /** If the fixed broker port is taken: true = use a free one (logged), false (default) = fail. */
        public Builder fallbackToFreePort(boolean fallback) {
            this.fallbackToFreePort = fallback;
            return this;
        }

        /** Any extra broker setting, e.g. "num.partitions". */
        public Builder config(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedKafkaBroker build() {
            try {
                if (dataDir == null) {
                    Path temp = Files.createTempDirectory("zsentinel-kafka-");
                    try {
                        return new EmbeddedKafkaBroker(this, temp, true);
                    } catch (RuntimeException e) {
                        deleteRecursively(temp); // e.g. the fixed port was taken
                        throw e;
                    }
                }
                Files.createDirectories(dataDir);
                return new EmbeddedKafkaBroker(this, dataDir, false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create Kafka data dir " + dataDir, e);
            }
        }

        public EmbeddedKafkaBroker start() {
            EmbeddedKafkaBroker broker = build();
            try {
                return broker.start();
            } catch (RuntimeException e) {
                broker.close(); // the caller never gets the instance: free its temp dir here
                throw e;
            }
        }
    }
}
