package io.zsentinel.projections.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.audit.AuditView;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.projections.metrics.Exposition;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPaused;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.LinkState;
import io.zsentinel.replication.api.link.LinkStateChanged;
import io.zsentinel.replication.api.link.ReplicationLinkEstablished;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.api.link.ReplicationSucceeded;
import io.zsentinel.replication.api.link.SnapshotRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.UUID;

import static io.zsentinel.projections.Events.A_VM1;
import static io.zsentinel.projections.Events.B;
import static io.zsentinel.projections.Events.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/replication/links} and {@code /metrics} over HTTP. */
class ReplicationRoutesTest {
    private static final LinkId LINK = new LinkId(A_VM1, new DatasetId(B, DatasetName.of("backup/vm1")));

    private final ObjectMapper json = Json.newMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        Clock clock = Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC);
        ReplicationLinkView links = new ReplicationLinkView(clock);
        SnapshotRef s1 = new SnapshotRef(A_VM1.dataset().snapshot("s1"), new Guid(-1L), T0);
        UUID t = UUID.nameUUIDFromBytes(new byte[] {1});
        long seq = 0;
        links.on(new ReplicationLinkEstablished(LINK, LINK.source(), LINK.target(), Duration.ofMinutes(15),
                LinkPolicy.defaults(), T0), seq++);
        links.on(new ReplicationScheduled(LINK, t, null, s1, false, null, false, 1, T0.plusSeconds(10)), seq++);
        links.on(new LinkStateChanged(LINK, LinkState.LAGGING, LinkState.TRANSFERRING, T0.plusSeconds(10)), seq++);
        links.on(new ReplicationSucceeded(LINK, t, s1, 100, T0.plusSeconds(20)), seq++);
        links.on(new LinkStateChanged(LINK, LinkState.TRANSFERRING, LinkState.IN_SYNC, T0.plusSeconds(20)), seq++);
        links.on(new LinkPaused(LINK, new Operator("alice@ops"), "maintenance", T0.plusSeconds(30)), seq++);
        links.on(new LinkStateChanged(LINK, LinkState.IN_SYNC, LinkState.PAUSED, T0.plusSeconds(30)), seq);
        SnapshotInventoryView inventory = new SnapshotInventoryView();
        Routes routes = ZsentinelApi.routes(inventory, new FleetView(clock, new FailureDetector(DetectorSettings.DEFAULTS)), new AuditView(),
                links, new HealthEndpoint());
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), routes, 2);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theLinksAreListedAsOperatorsReadThem() throws Exception {
        HttpResponse<String> response = get("/api/replication/links");
        assertEquals(200, response.statusCode());
        JsonNode row = json.readTree(response.body()).get(0);
        assertEquals("store-a:primary/vm1->store-b:backup/vm1", row.get("id").asText());
        assertEquals("paused", row.get("state").asText());
        assertEquals("store-b", row.get("target").get("server").asText());
        assertEquals("backup/vm1", row.get("target").get("dataset").asText());
        assertEquals("18446744073709551615", row.get("base").get("guid").asText(), "guids stay unsigned text");
        assertEquals("2025-03-01T10:00:20Z", row.get("lastSuccessAt").asText());
        assertEquals(580, row.get("lastSuccessAgeSeconds").asLong());
        assertEquals("alice@ops", row.get("paused").get("operator").asText());
        assertEquals(900, row.get("intervalSeconds").asLong());
        assertTrue(row.get("transfer").isNull());
        assertTrue(!row.has("linkId") && !row.has("linkState"), row.toString());
    }

    @Test
    void oneLinkByItsEncodedIdUnknownIs404MalformedIs400() throws Exception {
        HttpResponse<String> one = get("/api/replication/links/" + encode(LINK.toString()));
        assertEquals(200, one.statusCode(), one.body());
        assertEquals("paused", json.readTree(one.body()).get("state").asText());

        HttpResponse<String> unknown = get("/api/replication/links/" + encode("store-a:primary/vm1->store-c:dr/vm1"));
        assertEquals(404, unknown.statusCode());
        assertTrue(json.readTree(unknown.body()).get("hint").asText().contains("GET /api/replication/links"));

        HttpResponse<String> malformed = get("/api/replication/links/" + encode("primary/vm1"));
        assertEquals(400, malformed.statusCode());
        assertTrue(json.readTree(malformed.body()).get("error").asText().contains("->"));
    }

    @Test
    void metricsAreServedAsPrometheusText() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(1.0, Exposition.parse(response.body()).value("zsentinel_replication_state",
                "link", "store-a:primary/vm1->store-b:backup/vm1", "source", "store-a:primary/vm1",
                "target", "store-b:backup/vm1", "state", "paused"), response.body());
    }

    @Test
    void theDashboardHasAReplicationPanel() throws Exception {
        String page = get("/").body();
        assertTrue(page.contains("<h2>Replication<") && page.contains("getJson(\"/api/replication/links\")")
                && page.contains("failing since "), "the panel reads the links and says since when one fails");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
