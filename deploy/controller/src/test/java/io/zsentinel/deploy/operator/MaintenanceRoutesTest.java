package io.zsentinel.deploy.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.failover.api.RecordHeartbeat;
import io.zsentinel.projections.audit.AuditEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

import static io.zsentinel.deploy.operator.OperatorApi.A;
import static io.zsentinel.deploy.operator.OperatorApi.B;
import static io.zsentinel.deploy.operator.OperatorApi.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /api/servers/{server}/maintenance} over HTTP, on the real StorageServer and Dataset aggregates. */
class MaintenanceRoutesTest {
    private final ObjectMapper json = Json.newMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private OperatorApi fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new OperatorApi().withServerA();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void maintenanceOnFirstCheckpointsEveryDatasetOfTheServerAndIsAudited() throws Exception {
        HttpResponse<String> response = post("/api/servers/store-a/maintenance",
                "{\"on\": true, \"operator\": \"alice@ops\", \"reason\": \"disk swap\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json.readTree(response.body());
        assertEquals("store-a", body.get("server").asText());
        assertTrue(body.get("maintenance").asBoolean());
        JsonNode ordered = body.get("checkpoints").get("ordered");
        assertEquals(List.of("primary/vm1", "primary/vm2"),
                List.of(ordered.get(0).get("dataset").asText(), ordered.get(1).get("dataset").asText()));

        List<AuditEntry> audit = fixture.audit.audit(Optional.empty(), 10);
        assertEquals(3, audit.size(), audit.toString());
        AuditEntry maintenance = audit.get(0);
        assertEquals(A, maintenance.server());
        assertNull(maintenance.dataset());
        assertEquals("alice@ops", maintenance.operator());
        assertEquals("disk swap", maintenance.reason());
        assertTrue(maintenance.action().startsWith("maintenance on"), maintenance.action());
        assertTrue(audit.get(1).action().contains("checkpoint") && audit.get(2).action().contains("checkpoint"),
                "the checkpoints came first: " + audit);
    }

    @Test
    void maintenanceOffTakesNoCheckpointAndAnUnchangedModeIsNotAuditedTwice() throws Exception {
        assertEquals(200, post("/api/servers/store-a/maintenance",
                "{\"on\": true, \"operator\": \"a\", \"reason\": \"r\"}").statusCode());
        HttpResponse<String> off = post("/api/servers/store-a/maintenance",
                "{\"on\": false, \"operator\": \"a\", \"reason\": \"done\"}");
        assertEquals(200, off.statusCode(), off.body());
        assertTrue(json.readTree(off.body()).get("checkpoints").isNull());
        assertEquals(200, post("/api/servers/store-a/maintenance",
                "{\"on\": false, \"operator\": \"a\", \"reason\": \"again\"}").statusCode());
        List<AuditEntry> audit = fixture.audit.audit(Optional.empty(), 10);
        assertEquals(List.of("maintenance off", "maintenance on: no automatic failover away from it"),
                audit.stream().map(AuditEntry::action).filter(a -> a.startsWith("maintenance")).toList());
    }

    @Test
    void aServerWithoutDatasetsGoesIntoMaintenanceWithNoCheckpoint() throws Exception {
        fixture.commands().sendAndWait(new RecordHeartbeat(B, 1, T0));
        HttpResponse<String> response = post("/api/servers/store-b/maintenance",
                "{\"on\": true, \"operator\": \"a\", \"reason\": \"r\"}");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(0, json.readTree(response.body()).get("checkpoints").get("ordered").size());
    }

    @Test
    void anUnknownServerAMissingModeOrReasonAreRefused() throws Exception {
        HttpResponse<String> unknown = post("/api/servers/store-z/maintenance",
                "{\"on\": true, \"operator\": \"a\", \"reason\": \"r\"}");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("never heard of server"), unknown.body());

        HttpResponse<String> noMode = post("/api/servers/store-a/maintenance", "{\"operator\": \"a\", \"reason\": \"r\"}");
        assertEquals(400, noMode.statusCode(), noMode.body());
        assertTrue(noMode.body().contains("\\\"on\\\" is required"), noMode.body());

        HttpResponse<String> noReason = post("/api/servers/store-a/maintenance", "{\"on\": true, \"operator\": \"a\"}");
        assertEquals(400, noReason.statusCode(), noReason.body());
        assertTrue(noReason.body().contains("reason"), noReason.body());
        assertEquals(0, fixture.audit.operations(Optional.empty(), 10).size(), "a refused order takes no checkpoint");
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fixture.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
