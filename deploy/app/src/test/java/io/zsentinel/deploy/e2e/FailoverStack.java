package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.config.ConfigFiles;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import io.zsentinel.deploy.agent.Agent;
import io.zsentinel.deploy.agent.AgentConfig;
import io.zsentinel.deploy.agent.PeerAddress;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** What the failover and rejoin end-to-end tests share: their agents, the controller's answers, the clean-up. */
final class FailoverStack {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FailoverStack() {
    }

    /** A server named like its pool, heartbeating every second, lease 6 s (the tests' failover.leaseSeconds). */
    static Agent agent(ZfsTestPools pools, KafkaConfig kafka, Deque<AutoCloseable> open, PoolName pool,
                       Integer probePort, Map<String, PeerAddress> peers) {
        MessagePublisher publisher = MessagePublisher.create(kafka.bootstrap());
        open.push(publisher);
        Agent agent = new Agent(new AgentConfig(new ServerId(pool.value()), kafka, List.of(pool), 1, 1, null, null, null,
                null, null, 6, null, probePort, peers), ZfsDriver.detect(pools.runner(), pool), publisher,
                Clock.systemUTC()).start();
        open.push(agent);
        return agent;
    }

    /** The test's own topics on the shared broker, under a cell named after them. */
    static KafkaConfig freshKafka(String name) {
        Topics topics = KafkaTestBroker.freshTopics(name, 1);
        return new KafkaConfig(KafkaTestBroker.bootstrapServers(), topics.prefix().substring(0, topics.prefix().length() - 1));
    }

    /**
     * The controller of service vm1 ({@code primary/vm1}, standby {@code standby}, replicated every second, lease 6 s
     * + margin 2 s) on {@code kafka} and {@code store}, its HTTP port free; pushed onto {@code open}.
     */
    static ControllerApp controller(KafkaConfig kafka, DataSource store, PoolName primary, PoolName standby,
                                    Deque<AutoCloseable> open) {
        ControllerConfig yaml = ConfigFiles.parse("""
                kafka: { bootstrap: "unused:9092" }
                replication:
                  tickSeconds: 1
                  links:
                    - { match: "%1$s/vm*", targetServer: "%2$s", targetRoot: "%2$s", every: 1s }
                services:
                  - name: vm1
                    datasets: "%1$s/vm1"
                    primary: "%1$s"
                    standbys: ["%2$s"]
                    maxDataLoss: 10m
                failover: { leaseSeconds: 6, leaseMarginSeconds: 2, windowSeconds: 180 }
                """.formatted(primary, standby), "controller.yaml", ControllerConfig.class);
        ControllerApp controller = ControllerApp.start(new ControllerConfig(kafka, null,
                new ControllerConfig.HttpConfig("127.0.0.1", 0), null, yaml.retention(), yaml.replication(),
                yaml.services(), yaml.failover()), store, Clock.systemUTC());
        open.push(controller);
        return controller;
    }

    /**
     * PostgreSQL in {@code postgresDir}, the controller of service vm1 ({@link #controller}) and an agent on each
     * pool, the standby's probing the primary's: the service as the switchover and outage tests start it.
     */
    static ControllerApp service(KafkaConfig kafka, ZfsTestPools pools, PoolName primary, PoolName standby,
                                 Path postgresDir, Deque<AutoCloseable> open) {
        EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start(postgresDir);
        open.push(postgres);
        ControllerApp controller = controller(kafka, postgres.dataSource(), primary, standby, open);
        Agent primaryAgent = agent(pools, kafka, open, primary, 0, Map.of());
        agent(pools, kafka, open, standby, 0,
                Map.of(primary.value(), new PeerAddress("127.0.0.1", primaryAgent.probePort().orElseThrow())));
        return controller;
    }

    /** Closes what the test opened, imports {@code crashed} again if it is still exported, destroys the pools. */
    static void stop(Deque<AutoCloseable> open, ZfsTestPools pools, Path poolsDir, PoolName crashed) {
        Stack.closeAndDestroy(List.copyOf(open), pools, poolsDir.getParent(), crashed);
    }

    static String get(ControllerApp controller, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.httpPort() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The server's health as {@code /api/servers} shows it; "unheard" before its first heartbeat. */
    static String health(ControllerApp controller, PoolName server) throws Exception {
        for (JsonNode row : JSON.readTree(get(controller, "/api/servers"))) {
            if (row.path("server").asText().equals(server.value())) {
                return row.path("health").asText();
            }
        }
        return "unheard";
    }
}
