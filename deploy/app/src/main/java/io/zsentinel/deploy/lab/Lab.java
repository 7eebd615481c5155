package io.zsentinel.deploy.lab;

import io.zsentinel.deploy.broker.EmbeddedKafkaBroker;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.CommandRunner;
import io.zsentinel.core.zfs.ProcessCommandRunner;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.deploy.agent.Agent;
import io.zsentinel.deploy.agent.AgentConfig;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.core.config.KafkaConfig;
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
import java.util.List;
import java.util.stream.Stream;

/**
 * Everything on one machine: three file-backed pools (primary, standby, offsite), an in-process
 * Kafka broker, an embedded PostgreSQL, three agents and the controller with its dashboard.
 */
public final class Lab implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lab.class);
    public static final List<String> SERVERS = List.of("primary", "standby", "offsite");

    public record Options(Path dir, boolean reset, int httpPort, int kafkaPort) {
    }

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private ControllerApp controller;

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
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder()
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
                labConfig.replication()),
                postgres.dataSource(), Clock.systemUTC());
        started.push(controller);
        MessagePublisher publisher = MessagePublisher.create(kafka.bootstrapServers());
        started.push(publisher);
        for (String server : SERVERS) {
            PoolName pool = new PoolName(server);
            AgentConfig config = new AgentConfig(new ServerId(server), kafkaConfig, List.of(pool), 2, 2, null, null);
            started.push(new Agent(config, ZfsDriver.detect(runner, pool), publisher, Clock.systemUTC()).start());
        }
        lock.running(dashboard());
        log.info("lab in {}: Kafka {}, PostgreSQL {}", dir, kafka.bootstrapServers(), postgres.jdbcUrl());
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
