package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.kafka.KafkaSettings;
import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.store.DataSources;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import io.zsentinel.projections.web.ApiServer;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller's health on real parts (the in-process broker, an embedded PostgreSQL): a poison
 * record does not stop it, and {@code /health} is 200 only when it is ready (views at the store's head,
 * the consumer of agent facts caught up, store and broker reachable).
 */
class ControllerHealthEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(CoreMessages.types());

    @TempDir
    Path dir;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private Topics topics;
    private KafkaConfig kafka;
    private MessagePublisher publisher;

    @AfterEach
    void closeAll() {
        Stack.closeAll(List.copyOf(open));
    }

    private void freshCell(TestInfo info) {
        topics = KafkaTestBroker.freshTopics(info.getTestMethod().orElseThrow().getName(), 1);
        kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(), topics.prefix().substring(0, topics.prefix().length() - 1));
        publisher = opened(MessagePublisher.create(KafkaTestBroker.bootstrapServers()));
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        open.push(closeable);
        return closeable;
    }

    private ControllerApp controller(javax.sql.DataSource dataSource) {
        return opened(ControllerApp.start(new ControllerConfig(kafka, null, new ControllerConfig.HttpConfig("127.0.0.1", 0),
                null), dataSource, Clock.systemUTC()));
    }

    @Test
    void aRandomRecordOf900KbIsDeadLetteredCutToFitTheNextFactIsAppliedAndHealthIsUp(TestInfo info) throws Exception {
        freshCell(info);
        EmbeddedPostgresStore postgres = opened(EmbeddedPostgresStore.start(dir.resolve("postgres")));
        ControllerApp controller = controller(postgres.dataSource());
        byte[] garbage = new byte[900 * 1024];
        new Random(900).nextBytes(garbage);
        Properties producer = KafkaSettings.producer(KafkaTestBroker.bootstrapServers());
        producer.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(producer)) {
            raw.send(new ProducerRecord<>(topics.agentEvents(), "primary", garbage)).get();
        }
        heartbeat("primary");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> registered(controller, "primary"));
        List<ConsumerRecord<String, String>> dead = KafkaTestBroker.readFromStart(KafkaTestBroker.bootstrapServers(),
                topics.deadLetter(), 1, Duration.ofSeconds(120));
        assertEquals(1, dead.size());
        int deadBytes = dead.get(0).value().getBytes(StandardCharsets.UTF_8).length;
        assertTrue(deadBytes <= 64 * 1024, "the dead letter is " + deadBytes + " bytes");
        JsonNode letter = JSON.readTree(dead.get(0).value());
        assertEquals(topics.agentEvents(), letter.path("originalTopic").asText());
        assertEquals(0, letter.path("partition").asInt());
        assertEquals(0, letter.path("offset").asLong());
        assertEquals(garbage.length, letter.path("valueBytes").asInt());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(garbage)),
                letter.path("valueSha256").asText());
        assertTrue(letter.path("reason").asText().contains("JSON"), letter.toString());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(controller, "/health").statusCode() == 200);
        String metrics = get(controller, "/metrics").body();
        assertTrue(metrics.contains("zsentinel_consumer_dead_lettered_total{loop=\"controller-agent-events\"} 1"), metrics);
        assertTrue(metrics.contains("zsentinel_consumer_up{loop=\"controller-agent-events\"} 1"), metrics);
    }

    /** docs/openapi.yaml, served at /api/openapi.yaml, names every route the controller serves and no other. */
    @Test
    @SuppressWarnings("unchecked")
    void theApiDocumentDescribesExactlyTheRoutesServed(TestInfo info) throws Exception {
        freshCell(info);
        EmbeddedPostgresStore postgres = opened(EmbeddedPostgresStore.start(dir.resolve("postgres")));
        ControllerApp controller = controller(postgres.dataSource());
        awaitHealthy(controller);
        HttpResponse<String> served = get(controller, "/api/openapi.yaml");
        assertEquals(200, served.statusCode(), served.body());
        assertTrue(served.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"),
                served.headers().toString());
        java.util.Map<String, Object> document = new org.yaml.snakeyaml.Yaml().load(served.body());
        java.util.Set<String> described = new java.util.TreeSet<>();
        ((java.util.Map<String, java.util.Map<String, Object>>) document.get("paths")).forEach((path, operations) ->
                operations.keySet().forEach(method -> described.add(method.toUpperCase(java.util.Locale.ROOT) + " "
                        + path)));
        assertEquals(new java.util.TreeSet<>(controller.activeRoutes()), described,
                "docs/openapi.yaml and the routes the controller serves");
        assertEquals(Files.readString(Path.of(System.getProperty("user.dir")).resolve("../../docs/openapi.yaml")),
                served.body(), "served as it is kept in docs/");
    }

    @Test
    void healthIs503UntilAFactProducedWhileTheControllerWasDownIsApplied(TestInfo info) throws Exception {
        freshCell(info);
        EmbeddedPostgresStore postgres = opened(EmbeddedPostgresStore.start(dir.resolve("postgres")));
        ControllerApp first = controller(postgres.dataSource());
        for (int i = 0; i < 20; i++) {
            heartbeat("early-" + i);
        }
        awaitHealthy(first);
        first.close();

        // While it is down: many facts to catch up on, the one to look for last.
        for (int i = 0; i < 200; i++) {
            heartbeat("early-" + (i % 20));
        }
        heartbeat("late");
        ControllerApp second = controller(postgres.dataSource());
        HttpResponse<String> health = get(second, "/health");
        assertEquals(503, health.statusCode(), health.body());
        assertEquals("DOWN", JSON.readTree(health.body()).path("status").asText());
        AtomicBoolean sawStale = new AtomicBoolean();
        List<String> upTooEarly = new CopyOnWriteArrayList<>();
        HttpResponse<String> ready = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (get(second, "/api/servers").headers().firstValue(ApiServer.STALE_HEADER).isPresent()) {
                        sawStale.set(true);
                    }
                    HttpResponse<String> h = get(second, "/health");
                    // 200 is only said once the fact is applied: it is in the views right after.
                    if (h.statusCode() == 200 && !registered(second, "late")) {
                        upTooEarly.add(h.body());
                    }
                    return h;
                }, h -> h.statusCode() == 200);
        assertEquals(List.of(), upTooEarly, "health was 200 before the fact produced while down was applied");
        assertTrue(sawStale.get(), "a REST answer while not ready carries " + ApiServer.STALE_HEADER);
        HttpResponse<String> servers = get(second, "/api/servers");
        assertFalse(servers.headers().firstValue(ApiServer.STALE_HEADER).isPresent(), servers.headers().toString());
        JsonNode checks = JSON.readTree(ready.body()).path("checks");
        for (String check : List.of("eventStore", "kafka", "views", "agentEvents")) {
            assertEquals("UP", checks.path(check).path("status").asText(), ready.body());
        }
    }

    @Test
    void whileTheStoreIsUnreachableHealthIs503AndAFactWaitsInsteadOfBeingDeadLettered(TestInfo info) throws Exception {
        StoreOutage outage = storeOutage(info);
        ControllerApp controller = outage.controller();
        // Read together: the active controller's health names the store (and /api answers marked stale) until the
        // outage outlasts its lease (ttl 10 s; the consumer's own "waits for the event store" comes after two 5 s
        // connection timeouts, so under load the lease can lapse first): then a STANDBY /health says the store did
        // not answer or the lease cannot be taken. Both are 503. (its API closes for a moment when it goes standby: a
        // refused connection is looked at again)
        HttpResponse<String> health = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> {
                    HttpResponse<String> r = get(controller, "/health");
                    if (r.statusCode() != 503) {
                        return null;
                    }
                    JsonNode checks = JSON.readTree(r.body()).path("checks");
                    boolean activeNamesStore = "DOWN".equals(checks.path("eventStore").path("status").asText())
                            && get(controller, "/api/servers").headers().firstValue(ApiServer.STALE_HEADER).isPresent();
                    boolean standbyNamesStore = r.body().contains("STANDBY") && (r.body().contains(
                            "the store did not answer") || r.body().contains("cannot take the controller lease"));
                    return activeNamesStore || standbyNamesStore ? r : null;
                }, java.util.Objects::nonNull);

        outage.end();
        // the API may be closed for a moment while the controller, back from standby, starts its active parts
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> registered(controller, "during"));
        awaitHealthy(controller);
        assertEquals(0, KafkaTestBroker.readFromStart(KafkaTestBroker.bootstrapServers(), topics.deadLetter(), 1,
                Duration.ofSeconds(2)).size(), "nothing dead-lettered");
    }

    @Test
    void aStoreOutageLongerThanTheControllerLeaseLosesNoFact(TestInfo info) throws Exception {
        StoreOutage outage = storeOutage(info);
        ControllerApp controller = outage.controller();
        // the outage outlasts the lease (ttl 10 s): the controller goes standby
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> get(controller, "/health").body().contains("STANDBY"));
        heartbeat("standby");

        outage.end();
        awaitHealthy(controller);
        // what the controller shows on failure says whether a fact was lost or only not yet shown
        awaitRegistered(controller, "during", "standby");
        assertTrue(registered(controller, "before"), "a fact stored before the outage is still there");
    }

    /** A controller on an embedded PostgreSQL that stops after the controller applied "before"; "during" then comes. */
    private StoreOutage storeOutage(TestInfo info) {
        freshCell(info);
        Path data = dir.resolve("postgres");
        EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start(data);
        // The controller's own pool outlives the database process, as it would against a remote PostgreSQL.
        HikariDataSource pool = opened(DataSources.pooled(postgres.jdbcUrl(), EmbeddedPostgresStore.USER, ""));
        ControllerApp controller = controller(pool);
        heartbeat("before");
        awaitHealthy(controller);
        postgres.close();
        heartbeat("during");
        return new StoreOutage(controller, data, postgres.port());
    }

    private final class StoreOutage {
        private final ControllerApp controller;
        private final Path data;
        private final int port;

        StoreOutage(ControllerApp controller, Path data, int port) {
            this.controller = controller;
            this.data = data;
            this.port = port;
        }

        ControllerApp controller() {
            return controller;
        }

        /** The database starts again on the same data and port. */
        void end() {
            opened(EmbeddedPostgresStore.start(data, port));
        }
    }

    private void heartbeat(String server) {
        AgentHeartbeat beat = new AgentHeartbeat(new ServerId(server), 1, Instant.now());
        publisher.publishAndWait(topics.agentEvents(), server, CODEC.encode(CODEC.wrap(beat, "agent:" + server, Instant.now())));
    }

    /** Waits until every one of {@code servers} is registered; on failure the message shows what the API lists. */
    private static void awaitRegistered(ControllerApp controller, String... servers) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> java.util.Arrays.stream(servers).allMatch(s -> {
                        try {
                            return registered(controller, s);
                        } catch (IOException | InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(String.join(", ", servers) + " not all registered; /api/servers: "
                    + get(controller, "/api/servers").body(), e);
        }
    }

    /** The server is known from the event store (its ServerRegistered reached the fleet view), not only heard. */
    private static boolean registered(ControllerApp controller, String server) throws IOException, InterruptedException {
        for (JsonNode row : JSON.readTree(get(controller, "/api/servers").body())) {
            if (row.path("server").asText().equals(server) && row.hasNonNull("registeredAt")) {
                return true;
            }
        }
        return false;
    }

    private static void awaitHealthy(ControllerApp controller) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> get(controller, "/health").statusCode() == 200);
    }

    private static HttpResponse<String> get(ControllerApp controller, String path) throws IOException, InterruptedException {
        // bounded: a request caught by an API closing as the controller changes role fails and is asked again
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
