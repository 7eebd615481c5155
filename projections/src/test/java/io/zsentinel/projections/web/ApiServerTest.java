package io.zsentinel.projections.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.failover.api.ServerRegistered;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.zsentinel.projections.Events.A;
import static io.zsentinel.projections.Events.A_VM1;
import static io.zsentinel.projections.Events.B;
import static io.zsentinel.projections.Events.B_VM1;
import static io.zsentinel.projections.Events.T0;
import static io.zsentinel.projections.Events.guidFor;
import static io.zsentinel.projections.Events.pool;
import static io.zsentinel.projections.Events.recorded;
import static io.zsentinel.projections.Events.registered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiServerTest {
    private static final String JSON = "application/json; charset=utf-8";

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final AtomicBoolean kafkaUp = new AtomicBoolean(true);
    private ApiServer api;

    @BeforeEach
    void start() throws IOException {
        SnapshotInventoryView inventory = new SnapshotInventoryView();
        inventory.on(registered(A_VM1), T0);
        inventory.on(recorded(A_VM1, "daily-1", 10, true), T0);
        inventory.on(recorded(A_VM1, "daily-2", 20, false), T0);
        inventory.on(registered(B_VM1), T0);
        inventory.on(recorded(B_VM1, "daily-1", 15, false), T0);

        FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
        FleetView fleet = new FleetView(Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC), detector);
        fleet.on(new ServerRegistered(A, T0));
        fleet.on(pool(A, "primary", PoolHealth.ONLINE, 37, T0));
        detector.heartbeat(A, T0.plusSeconds(55));

        HealthEndpoint health = new HealthEndpoint()
                .add("eventStore", () -> HealthCheck.Result.up("42 events"))
                .add("kafka", () -> kafkaUp.get() ? HealthCheck.Result.up("connected")
                        : HealthCheck.Result.down("no broker reachable at localhost:9092"));
        Routes routes = ZsentinelApi.routes(inventory, fleet, health)
                .get("/api/boom", request -> {
                    throw new IllegalStateException("secret internals");
                });
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), routes, 2, health::notReady);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void listsDatasetsOptionallyOfOneServer() throws Exception {
        HttpResponse<String> all = get("/api/datasets");
        assertJson(200, all);
        JsonNode body = mapper.readTree(all.body());
        assertEquals(2, body.size());
        JsonNode a = body.get(0);
        assertEquals("store-a", a.get("server").asText());
        assertEquals("primary/vm1", a.get("dataset").asText());
        assertEquals(2, a.get("snapshotCount").asInt());
        assertEquals("primary/vm1@daily-2", a.get("newestSnapshot").asText());
        assertEquals(T0.plusSeconds(20).toString(), a.get("newestCreated").asText());
        assertEquals(T0.toString(), a.get("registeredAt").asText());

        JsonNode onlyB = mapper.readTree(get("/api/datasets?server=store-b").body());
        assertEquals(1, onlyB.size());
        assertEquals("store-b", onlyB.get(0).get("server").asText());
    }

    @Test
    void listsSnapshotsOfAnEncodedDatasetName() throws Exception {
        HttpResponse<String> response = get("/api/datasets/primary%2Fvm1/snapshots?server=store-a");
        assertJson(200, response);
        JsonNode rows = mapper.readTree(response.body());
        assertEquals(2, rows.size());
        JsonNode first = rows.get(0);
        assertEquals("primary/vm1@daily-1", first.get("name").asText());
        assertEquals("daily-1", first.get("shortName").asText());
        assertTrue(first.get("guid").isTextual(), "guid is a string so JavaScript cannot round it");
        assertEquals(Long.toUnsignedString(guidFor(A_VM1, 10)), first.get("guid").asText());
        assertEquals(10, first.get("createtxg").asLong());
        assertEquals(T0.plusSeconds(10).toString(), first.get("created").asText());
        assertTrue(first.get("takenByZsentinel").asBoolean());
        assertFalse(rows.get(1).get("takenByZsentinel").asBoolean());

        assertEquals(3, mapper.readTree(get("/api/datasets/primary%2Fvm1/snapshots").body()).size());
    }

    @Test
    void refusesAnInvalidDatasetNameWithAHint() throws Exception {
        HttpResponse<String> response = get("/api/datasets/primary%2Fvm1%3Brm%20-rf/snapshots");
        assertJson(400, response);
        JsonNode body = mapper.readTree(response.body());
        assertTrue(body.get("error").asText().contains("';'"), body.toString());
        assertTrue(body.get("hint").asText().contains("primary%2Fvm1"), body.toString());

        assertJson(400, get("/api/datasets?server=bad%20id"));
    }

    @Test
    void anUnknownDatasetIsNotFound() throws Exception {
        HttpResponse<String> response = get("/api/datasets/primary%2Fvm9/snapshots");
        assertJson(404, response);
        assertTrue(mapper.readTree(response.body()).get("error").asText().contains("\"primary/vm9\" is not known"));

        HttpResponse<String> elsewhere = get("/api/datasets/primary%2Fvm1/snapshots?server=store-c");
        assertJson(404, elsewhere);
        assertTrue(mapper.readTree(elsewhere.body()).get("error").asText().contains("on server \"store-c\""));
    }

    @Test
    void listsServersWithLivenessAndPools() throws Exception {
        HttpResponse<String> response = get("/api/servers");
        assertJson(200, response);
        JsonNode server = mapper.readTree(response.body()).get(0);
        assertEquals("store-a", server.get("server").asText());
        assertEquals("up", server.get("status").asText());
        assertEquals("healthy", server.get("health").asText());
        assertEquals("heard 5 s ago", server.get("healthReason").asText());
        assertFalse(server.get("maintenance").asBoolean());
        assertEquals(5, server.get("secondsSinceHeartbeat").asLong());
        JsonNode pool = server.get("pools").get(0);
        assertEquals("primary", pool.get("pool").asText());
        assertEquals("ONLINE", pool.get("health").asText());
        assertEquals(37, pool.get("capacityPercent").asInt());
        assertEquals(T0.toString(), pool.get("since").asText());
    }

    @Test
    void healthIsUpUntilOneCheckIsDown() throws Exception {
        HttpResponse<String> up = get("/health");
        assertJson(200, up);
        JsonNode body = mapper.readTree(up.body());
        assertEquals("UP", body.get("status").asText());
        assertEquals("UP", body.get("checks").get("eventStore").get("status").asText());
        assertEquals("42 events", body.get("checks").get("eventStore").get("detail").asText());
        assertFalse(body.get("checks").get("eventStore").has("up"), "status is the only verdict field");

        kafkaUp.set(false);
        HttpResponse<String> down = get("/health");
        assertJson(503, down);
        JsonNode downBody = mapper.readTree(down.body());
        assertEquals("DOWN", downBody.get("status").asText());
        assertEquals("DOWN", downBody.get("checks").get("kafka").get("status").asText());
        assertEquals("UP", downBody.get("checks").get("eventStore").get("status").asText());
    }

    @Test
    void apiAnswersServedWhileNotReadySayWhyTheyMayBeStale() throws Exception {
        assertTrue(get("/api/servers").headers().firstValue(ApiServer.STALE_HEADER).isEmpty());

        kafkaUp.set(false);
        assertJson(503, get("/health"));
        HttpResponse<String> servers = get("/api/servers");
        assertJson(200, servers);
        assertEquals("kafka: no broker reachable at localhost:9092",
                servers.headers().firstValue(ApiServer.STALE_HEADER).orElseThrow());
        assertTrue(get("/").headers().firstValue(ApiServer.STALE_HEADER).isEmpty(), "only /api answers carry it");
    }

    @Test
    void servesTheDashboard() throws Exception {
        HttpResponse<String> response = get("/");
        assertEquals(200, response.statusCode());
        assertEquals("text/html; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.body().contains("/api/servers"));
        assertFalse(response.body().contains("http://") || response.body().contains("https://"),
                "no external URLs: storage hosts have no internet");
    }

    @Test
    void unknownPathsWrongMethodsAndFailuresAreJson() throws Exception {
        assertJson(404, get("/api/nothing"));
        HttpResponse<String> unencoded = get("/api/datasets/primary/vm1/snapshots?server=store-a");
        assertJson(404, unencoded); // an unencoded '/' splits the segment: say so, and where to go instead
        JsonNode hint = mapper.readTree(unencoded.body());
        assertTrue(hint.get("error").asText().contains("a '/' in a dataset name"), unencoded.body());
        assertTrue(hint.get("hint").asText().endsWith("'/' as %2F: /api/datasets/primary%2Fvm1/snapshots?server=store-a"),
                unencoded.body());
        assertEquals(200, get("/api/datasets/primary%2Fvm1/snapshots?server=store-a").statusCode(), "the hinted URL works");
        assertTrue(mapper.readTree(get("/api/nothing/at/all").body()).get("hint").asText().contains("GET / for the dashboard"));

        HttpResponse<String> post = http.send(request("/api/datasets")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertJson(405, post);
        assertEquals("GET", post.headers().firstValue("Allow").orElseThrow());

        HttpResponse<String> boom = get("/api/boom");
        assertJson(500, boom);
        assertFalse(boom.body().contains("secret internals") || boom.body().contains("at io.zsentinel"),
                "no exception text or stack trace leaves the process: " + boom.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(30));
    }

    private static void assertJson(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(JSON, response.headers().firstValue("Content-Type").orElseThrow());
    }
}
