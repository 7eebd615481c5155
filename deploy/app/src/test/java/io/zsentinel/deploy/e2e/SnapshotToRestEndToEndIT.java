package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.messages.agentcommands.TakeSnapshot;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.RetentionConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.zsentinel.deploy.e2e.Stack.run;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walking skeleton on real parts: a zfs-fuse pool, the in-process Kafka broker, an embedded
 * PostgreSQL, one agent and the controller. A snapshot taken with the {@code zfs} command must
 * appear in the REST API, with the guid zfs itself reports.
 */
class SnapshotToRestEndToEndIT {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static Stack stack;
    static Topics topics;
    static ServerId server;
    static DatasetName vm1;
    static MessagePublisher publisher;
    static ControllerApp controller;
    static EmbeddedPostgresStore postgres;

    @BeforeAll
    static void startEverything() {
        stack = new Stack(dir, "zte", 64L * 1024 * 1024, RetentionConfig.none(), c -> c);
        topics = stack.topics;
        server = stack.server;
        vm1 = stack.vm1;
        publisher = stack.publisher;
        controller = stack.controller;
        postgres = stack.postgres;
    }

    @AfterAll
    static void stopEverything() {
        stack.close();
    }

    @Test
    void aSnapshotTakenWithZfsShowsUpInTheRestApiWithItsGuid() throws Exception {
        String snapshot = vm1 + "@manual-1";
        run("zfs", "snapshot", snapshot);
        String guid = run("zfs", "get", "-H", "-p", "-o", "value", "guid", snapshot).strip();

        JsonNode rows = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> snapshots(vm1), r -> r.size() == 1);
        JsonNode row = rows.get(0);
        assertEquals(snapshot, row.path("name").asText());
        assertEquals(guid, row.path("guid").asText());
        assertEquals(server.value(), row.path("server").asText());
        assertTrue(row.path("createtxg").asLong() > 0);
        assertTrue(row.hasNonNull("created"));
        assertTrue(row.path("referencedBytes").asLong() > 0);

        // The events are in PostgreSQL and reached the domain-events topic.
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from domain_event_entry where aggregate_identifier = '"
                     + server + ":" + vm1 + "' and payload_type like '%SnapshotRecorded'")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
        // the publisher follows the store: on a busy machine the event may reach the topic a while later
        await("SnapshotRecorded with guid " + guid + " on " + topics.domainEvents()).atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> KafkaTestBroker.readFromStart(KafkaTestBroker.bootstrapServers(), topics.domainEvents(), 50,
                        Duration.ofSeconds(3)).stream().anyMatch(r -> r.value().contains("\"type\":\"SnapshotRecorded\"")
                        && r.value().contains(guid)));

        // A destroyed snapshot disappears again.
        run("zfs", "destroy", snapshot);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> snapshots(vm1).size() == 0);

        // the dataset's history, read from the event store: registered, the snapshot recorded with its guid, then gone
        JsonNode history = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> history(server + ":" + vm1), h -> h.path("events").size() >= 3);
        List<String> types = new java.util.ArrayList<>();
        history.path("events").forEach(e -> types.add(e.path("type").asText()));
        assertEquals("DatasetRegistered", types.get(0), history.toString());
        int recorded = types.indexOf("SnapshotRecorded");
        assertTrue(recorded > 0 && history.path("events").get(recorded).path("event").toString().contains(guid),
                history.toString());
        assertTrue(types.size() > recorded + 1, "the destroy comes after: " + types);
        JsonNode onlyRecorded = history(server + ":" + vm1 + "&type=SnapshotRecorded");
        assertEquals(1, onlyRecorded.path("events").size(), onlyRecorded.toString());

        // the fleet as of the snapshot's recording, and as of before anything happened, replayed from the store
        Instant recordedAt = Instant.parse(history.path("events").get(recorded).path("at").asText());
        JsonNode then = api("/api/state?asOf=" + recordedAt);
        assertTrue(then.path("datasets").asInt() >= 1 && then.path("snapshots").asLong() >= 1, then.toString());
        assertTrue(then.path("servers").toString().contains("\"server\":\"" + server + "\""), then.toString());
        JsonNode before = api("/api/state?asOf=2020-01-01T00:00:00Z");
        assertEquals(0, before.path("events").asLong(), before.toString());
        assertEquals(0, before.path("datasets").asInt(), before.toString());
    }

    private static JsonNode api(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + controller.httpPort() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode history(String subjectAndFilters) throws IOException, InterruptedException {
        return api("/api/history?subject=" + subjectAndFilters.replace("/", "%2F"));
    }

    @Test
    void aTakeSnapshotCommandIsExecutedByTheAgentAndRecordedAsZsentinels() throws Exception {
        EnvelopeCodec codec = new EnvelopeCodec(CoreMessages.types());
        TakeSnapshot take = new TakeSnapshot(UUID.randomUUID(), server, 1, vm1.snapshot("ordered-1"));
        // The agent starts at the end of its command topic; re-sending the same command is harmless.
        JsonNode rows = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    publisher.publishAndWait(topics.agentCommands(), server.value(),
                            codec.encode(codec.wrap(take, "controller", java.time.Instant.now())));
                    return snapshots(vm1);
                }, r -> r.findValuesAsText("name").contains(vm1 + "@ordered-1")
                        && r.toString().contains("\"takenByZsentinel\":true"));
        assertTrue(rows.size() >= 1);
        String guid = run("zfs", "get", "-H", "-p", "-o", "value", "guid", vm1 + "@ordered-1").strip();
        assertTrue(rows.toString().contains(guid));
    }

    @Test
    void malformedAndForgedFactsGoToTheDeadLetterTopicAndTheControllerCarriesOn() throws Exception {
        publisher.publishAndWait(topics.agentEvents(), server.value(), "{not json");
        String forged = "{\"messageId\":\"" + UUID.randomUUID() + "\",\"type\":\"AgentHeartbeat\",\"schemaVersion\":1,"
                + "\"occurredAt\":\"2026-11-25T10:00:00Z\",\"source\":\"x\",\"payload\":{\"server\":\"someone-else\","
                + "\"epoch\":1,\"at\":\"2026-11-25T10:00:00Z\"}}";
        publisher.publishAndWait(topics.agentEvents(), server.value(), forged);
        List<ConsumerRecord<String, String>> dead = await().atMost(Duration.ofSeconds(120))
                .until(() -> KafkaTestBroker.readFromStart(KafkaTestBroker.bootstrapServers(), topics.deadLetter(), 2,
                        Duration.ofSeconds(1)), r -> r.size() >= 2);
        assertTrue(dead.stream().anyMatch(r -> r.value().contains("not JSON")), dead.toString());
        assertTrue(dead.stream().anyMatch(r -> r.value().contains("arrived under key " + server)), dead.toString());
        // Later facts are still handled: a new snapshot still shows up.
        run("zfs", "snapshot", vm1 + "@after-garbage");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> snapshots(vm1).toString().contains(vm1 + "@after-garbage"));
    }

    private static JsonNode snapshots(DatasetName dataset) throws IOException, InterruptedException {
        String encoded = java.net.URLEncoder.encode(dataset.value(), java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + controller.httpPort() + "/api/datasets/" + encoded + "/snapshots")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return JSON.createArrayNode(); // not registered yet
        }
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

}
