package io.zsentinel.projections.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.audit.AuditView;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.replication.api.CheckpointOrdered;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.OperatorActionRecorded;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.UUID;

import static io.zsentinel.projections.Events.A_VM1;
import static io.zsentinel.projections.Events.B;
import static io.zsentinel.projections.Events.T0;
import static io.zsentinel.projections.Events.VM1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditRoutesTest {
    private static final UUID C1 = UUID.nameUUIDFromBytes("c1".getBytes());

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        AuditView audit = new AuditView();
        audit.on(new OperatorActionRecorded(A_VM1, new Operator("alice@ops"), "checkpoint x", "upgrade", C1, T0));
        audit.on(new CheckpointOrdered(A_VM1, VM1.snapshot("x"), C1, T0));
        audit.on(new OperatorActionRecorded(new DatasetId(B, DatasetName.of("other/ds")), new Operator("bob"), "release y", "done", UUID.randomUUID(), T0.plusSeconds(1)));
        Routes routes = ZsentinelApi.routes(new SnapshotInventoryView(),
                new FleetView(Clock.systemUTC(), new FailureDetector(DetectorSettings.DEFAULTS)), audit, new HealthEndpoint());
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), routes, 2);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void auditNewestFirstAndFilteredByDataset() throws Exception {
        JsonNode all = mapper.readTree(get("/api/audit").body());
        assertEquals(2, all.size());
        assertEquals("bob", all.get(0).get("operator").asText());
        JsonNode vm1 = mapper.readTree(get("/api/audit?dataset=primary%2Fvm1&limit=5").body());
        assertEquals(1, vm1.size());
        assertEquals("alice@ops", vm1.get(0).get("operator").asText());
        assertEquals("upgrade", vm1.get(0).get("reason").asText());
        assertEquals(C1.toString(), vm1.get(0).get("commandId").asText());
    }

    @Test
    void operationsByIdAndTheirErrors() throws Exception {
        JsonNode op = mapper.readTree(get("/api/operations/" + C1).body());
        assertEquals("ordered", op.get("status").asText());
        assertEquals("primary/vm1@x", op.get("snapshot").asText());
        assertEquals("alice@ops", op.get("orderedBy").asText());
        assertEquals(1, mapper.readTree(get("/api/operations?dataset=primary%2Fvm1").body()).size());

        HttpResponse<String> unknown = get("/api/operations/" + UUID.randomUUID());
        assertEquals(404, unknown.statusCode());
        assertTrue(mapper.readTree(unknown.body()).get("hint").asText().contains("/api/operations"));
        assertEquals(400, get("/api/operations/not-a-uuid").statusCode());
        assertEquals(400, get("/api/audit?limit=0").statusCode());
        assertEquals(400, get("/api/audit?dataset=vm%3Breboot").statusCode());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
