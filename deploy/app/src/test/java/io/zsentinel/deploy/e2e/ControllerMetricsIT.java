package io.zsentinel.deploy.e2e;

import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller's {@code /metrics} on real parts (the in-process broker, an embedded PostgreSQL): beside the
 * views' families, one Micrometer registry carries the JVM's, the Kafka clients' and the Axon processors'.
 */
class ControllerMetricsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(CoreMessages.types());

    @TempDir
    Path dir;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    @AfterEach
    void closeAll() {
        Stack.closeAll(List.copyOf(open));
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        open.push(closeable);
        return closeable;
    }

    @Test
    void metricsCarryTheViewsTheJvmTheKafkaClientsAndTheAxonProcessors(TestInfo info) throws Exception {
        Topics topics = KafkaTestBroker.freshTopics(info.getTestMethod().orElseThrow().getName(), 1);
        KafkaConfig kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(),
                topics.prefix().substring(0, topics.prefix().length() - 1));
        MessagePublisher publisher = opened(MessagePublisher.create(KafkaTestBroker.bootstrapServers()));
        EmbeddedPostgresStore postgres = opened(EmbeddedPostgresStore.start(dir.resolve("postgres")));
        ControllerApp controller = opened(ControllerApp.start(new ControllerConfig(kafka, null,
                new ControllerConfig.HttpConfig("127.0.0.1", 0), null), postgres.dataSource(), Clock.systemUTC()));
        AgentHeartbeat beat = new AgentHeartbeat(new ServerId("primary"), 1, Instant.now());
        publisher.publishAndWait(topics.agentEvents(), "primary",
                CODEC.encode(CODEC.wrap(beat, "agent:primary", Instant.now())));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(controller, "/health").statusCode() == 200
                        && get(controller, "/metrics").body().contains("zsentinel_server_up{server=\"primary\"} 1.0"));

        HttpResponse<String> response = get(controller, "/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        String text = response.body();
        // the views' and the consumer loop's families, as before
        assertHas(text, "zsentinel_consumer_up\\{loop=\"controller-agent-events\"} 1\\.0");
        assertHas(text, "zsentinel_consumer_dead_lettered_total\\{loop=\"controller-agent-events\"} 0\\.0");
        // the JVM
        assertHas(text, "jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} \\S+");
        assertHas(text, "jvm_threads_live_threads \\S+");
        assertHas(text, "jvm_classes_loaded_classes \\S+");
        assertHas(text, "# TYPE jvm_gc_\\S+ \\S+");
        // the Kafka clients: the consumer of agent facts, the producer, the admin client
        assertHas(text, "kafka_consumer_\\S+\\{[^}]*client_id=\"[^\"]+\"[^}]*} \\S+");
        assertHas(text, "kafka_producer_\\S+\\{[^}]*client_id=\"[^\"]+\"[^}]*} \\S+");
        // the Axon processors (the views share one): our gauges and Axon's own monitors, labelled alike
        assertHas(text, "zsentinel_axon_processor_running\\{processorName=\"views\"} 1\\.0");
        assertHas(text, "zsentinel_axon_processor_error\\{processorName=\"views\"} 0\\.0");
        assertHas(text, "zsentinel_axon_processor_position\\{processorName=\"views\"} [0-9.E]+");
        assertHas(text, "eventProcessor_latency\\{processorName=\"views\"} \\S+");
    }

    private static void assertHas(String text, String regex) {
        assertTrue(Pattern.compile("^" + regex + "$", Pattern.MULTILINE).matcher(text).find(),
                "no line matching " + regex + " in\n" + text);
    }

    private static HttpResponse<String> get(ControllerApp controller, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.httpPort() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
