package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.zsentinel.failover.detect.DetectorSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failure detection on the real stack: zfs-fuse pools, the in-process Kafka broker, PostgreSQL, the controller and
 * real agents probing each other over TCP. A watcher server's agent probes four others and keeps heartbeating (so
 * the fleet is judged); then, at once: {@code dead}'s agent stops (no heartbeat, its probe port gone) and is
 * declared failed within the detector's timeout; {@code poolgone}'s pool is exported under its live agent (it
 * reports it UNAVAIL) and is declared failed at once; {@code silent}'s agent loses Kafka but still answers its
 * peers and stays suspect; {@code maint}, in maintenance, stops like {@code dead} and is never declared failed.
 */
class FailureDetectionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration TIMEOUT = DetectorSettings.DEFAULTS.heartbeatTimeout();

    @TempDir
    static Path dir;
    private static final Deque<AutoCloseable> open = new ArrayDeque<>();
    private static ZfsTestPools pools;
    private static EmbeddedPostgresStore postgres;
    private static ControllerApp controller;
    private static final Map<String, ServerId> servers = new LinkedHashMap<>();
    private static final Map<String, Agent> agents = new LinkedHashMap<>();
    private static final Map<String, MessagePublisher> publishers = new LinkedHashMap<>();
    private static PoolName exported;

    @BeforeAll
    static void start() throws Exception {
        pools = ZfsTestPools.open(dir.resolve("pools"), "detect");
        Topics topics = KafkaTestBroker.freshTopics("failure-detection", 1);
        KafkaConfig kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(),
                topics.prefix().substring(0, topics.prefix().length() - 1));
        postgres = EmbeddedPostgresStore.start(dir.resolve("postgres"));
        open.push(postgres);
        controller = ControllerApp.start(new ControllerConfig(kafka, null, new ControllerConfig.HttpConfig("127.0.0.1", 0),
                null), postgres.dataSource(), Clock.systemUTC());
        open.push(controller);
        Map<String, PeerAddress> watched = new LinkedHashMap<>();
        for (String name : List.of("dead", "poolgone", "silent", "maint")) {
            Agent agent = agent(kafka, name, 0, Map.of());
            watched.put(agent.server().value(), new PeerAddress("127.0.0.1", agent.probePort().orElseThrow()));
        }
        agent(kafka, "watcher", null, watched);
    }

    /** A server named after its pool, its agent heartbeating every second with a publisher of its own. */
    private static Agent agent(KafkaConfig kafka, String name, Integer probePort, Map<String, PeerAddress> peers) {
        PoolName pool = pools.createPool(name, 64L << 20);
        ServerId server = new ServerId(pool.value());
        MessagePublisher publisher = MessagePublisher.create(KafkaTestBroker.bootstrapServers());
        open.push(publisher);
        Agent agent = new Agent(new AgentConfig(server, kafka, List.of(pool), 1, 1, null, null, null, null, null, null,
                null, probePort, peers), ZfsDriver.detect(pools.runner(), pool), publisher, Clock.systemUTC()).start();
        open.push(agent);
        servers.put(name, server);
        agents.put(name, agent);
        publishers.put(name, publisher);
        return agent;
    }

    @AfterAll
    static void stop() {
        Stack.closeAll(List.copyOf(open));
        if (exported != null) {
            try {
                Stack.run("zpool", "import", "-d", dir.resolve("pools").resolve(exported.value()).toString(), exported.value());
            } catch (Exception e) {
                System.err.println("cleanup: could not import " + exported + " again to destroy it: " + e);
            }
        }
        if (pools != null) {
            pools.close();
        }
    }

    @Test
    void aServerIsDeclaredFailedOnlyOnASecondObservationAndNeverInMaintenance() throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() ->
                servers.values().stream().allMatch(s -> row(s).map(r -> r.path("health").asText().equals("healthy"))
                        .orElse(false)));
        HttpResponse<String> maintenance = post("/api/servers/" + servers.get("maint").value() + "/maintenance",
                "{\"on\": true, \"operator\": \"tester\", \"reason\": \"disk swap\"}");
        assertEquals(200, maintenance.statusCode(), maintenance.body());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> row(servers.get("maint")).map(r -> r.path("maintenance").asBoolean()).orElse(false));

        long faultAt = System.nanoTime();
        stopped(agents.get("dead"));
        stopped(agents.get("maint"));
        stopped(publishers.get("silent")); // its agent runs on and answers probes, but reaches Kafka no more
        exported = new PoolName(servers.get("poolgone").value());
        Stack.run("zpool", "export", exported.value());

        await().atMost(TIMEOUT.plusSeconds(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> declaredFailed(servers.get("poolgone")) == 1);
        JsonNode poolgone = row(servers.get("poolgone")).orElseThrow();
        assertTrue(poolgone.path("healthReason").asText().contains("UNAVAIL"), poolgone.toString());

        await().atMost(TIMEOUT.plusSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> declaredFailed(servers.get("dead")) == 1);
        Duration detected = Duration.ofNanos(System.nanoTime() - faultAt);
        System.out.println("FailureDetectionIT: dead server declared failed " + detected.toMillis() + " ms after its agent stopped");
        JsonNode dead = row(servers.get("dead")).orElseThrow();
        assertEquals("failed", dead.path("health").asText(), dead.toString());
        assertTrue(dead.path("healthReason").asText().contains(servers.get("watcher").value() + " cannot reach it"),
                dead.toString());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !row(servers.get("dead")).orElseThrow().path("declaredFailedAt").isNull());

        // the others, well past the timeout: each as the rules say, and none declared
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonNode silent = row(servers.get("silent")).orElseThrow();
                    assertEquals("suspect", silent.path("health").asText(), silent.toString());
                    assertTrue(silent.path("healthReason").asText().contains(servers.get("watcher").value() + " still reach"),
                            silent.toString());
                    JsonNode maint = row(servers.get("maint")).orElseThrow();
                    assertEquals("failed", maint.path("health").asText(), maint.toString());
                    assertTrue(maint.path("maintenance").asBoolean(), maint.toString());
                    assertEquals("healthy", row(servers.get("watcher")).orElseThrow().path("health").asText());
                    assertEquals(List.of(1, 1, 0, 0), List.of(declaredFailed(servers.get("dead")),
                            declaredFailed(servers.get("poolgone")), declaredFailed(servers.get("silent")),
                            declaredFailed(servers.get("maint"))), "ServerDeclaredFailed of dead, poolgone, silent, maint");
                });
    }

    private static void stopped(AutoCloseable part) throws Exception {
        open.remove(part);
        part.close();
    }

    /** The server's row of GET /api/servers. */
    private static Optional<JsonNode> row(ServerId server) {
        JsonNode rows;
        try {
            rows = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/servers"))).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        for (JsonNode row : rows) {
            if (row.path("server").asText().equals(server.value())) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + controller.httpPort() + path;
    }

    /** ServerDeclaredFailed events of {@code server} in the event store. */
    private static int declaredFailed(ServerId server) throws Exception {
        try (Connection c = postgres.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select count(*) from domain_event_entry where aggregate_identifier = ?"
                     + " and payload_type like '%.ServerDeclaredFailed'")) {
            s.setString(1, server.value());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
