package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.messages.facts.PeerProbe;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.broker.EmbeddedKafkaBroker;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller's own connection on a broker of this test's own, stopped and started again: while the controller's
 * consumer of heartbeats has no connection, every server is unknown (never failed, although one of them is also
 * reported unreachable by the other), and after the broker is back they are judged again.
 */
class ControllerConnectionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(CoreMessages.types());
    private static final ServerId A = new ServerId("conn-a");
    private static final ServerId B = new ServerId("conn-b");

    @TempDir
    Path dir;
    private final java.util.Deque<AutoCloseable> open = new java.util.ArrayDeque<>();
    private final ScheduledExecutorService agents = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close() {
        agents.shutdownNow();
        Stack.closeAll(List.copyOf(open));
    }

    @Test
    void whileTheControllersConsumerHasNoBrokerEveryServerIsUnknownNeverFailed() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().host("127.0.0.1").dataDir(dir.resolve("kafka")).start();
        open.push(broker);
        KafkaConfig kafka = new KafkaConfig(broker.bootstrapServers(), "conn");
        Topics topics = new Topics(kafka.prefix());
        EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start(dir.resolve("postgres"));
        open.push(postgres);
        ControllerApp controller = ControllerApp.start(new ControllerConfig(kafka, null,
                new ControllerConfig.HttpConfig("127.0.0.1", 0), null), postgres.dataSource(), Clock.systemUTC());
        open.push(controller);
        MessagePublisher publisher = MessagePublisher.create(broker.bootstrapServers());
        open.push(publisher);
        // two agents every second; B's says it cannot reach A (so only the connection rule keeps A from failed)
        agents.scheduleWithFixedDelay(() -> {
            Instant now = Instant.now();
            publisher.publish(topics.agentEvents(), A.value(), CODEC.encode(CODEC.wrap(new AgentHeartbeat(A, 1, now), A.value(), now)));
            publisher.publish(topics.agentEvents(), B.value(), CODEC.encode(CODEC.wrap(new AgentHeartbeat(B, 1, now,
                    List.of(new PeerProbe(A, false, now))), B.value(), now)));
        }, 0, 1, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> health(controller, A).equals("healthy") && health(controller, B).equals("healthy"));

        broker.stop();
        // unknown, never failed: by the controller's own connection (its consumer's connection count dropped) or, should
        // that take longer on a loaded machine, because every server fell silent at once; either way not failed
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode a = row(controller, A);
            assertEquals("unknown", a.path("health").asText(), a.toString());
            String reason = a.path("healthReason").asText();
            assertTrue(reason.contains("connection to Kafka is down") || reason.contains("every server is silent at once"),
                    a.toString());
        });
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> health(controller, A).equals("unknown") && health(controller, B).equals("unknown"));

        broker.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> health(controller, A).equals("healthy") && health(controller, B).equals("healthy"));
        assertTrue(row(controller, A).path("declaredFailedAt").isNull(), "never declared failed");
    }

    private static String health(ControllerApp controller, ServerId server) throws Exception {
        return row(controller, server).path("health").asText();
    }

    private static JsonNode row(ControllerApp controller, ServerId server) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + controller.httpPort() + "/api/servers")).GET().build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode row : JSON.readTree(response.body())) {
            if (row.path("server").asText().equals(server.value())) {
                return row;
            }
        }
        return JSON.createObjectNode();
    }
}
