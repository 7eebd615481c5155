package io.zsentinel.projections.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.audit.AuditView;
import io.zsentinel.projections.HeldBack;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.metrics.Exposition;
import io.zsentinel.replication.api.link.LinkId;
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
import java.time.Duration;

import static io.zsentinel.projections.HeldBack.frequent;
import static io.zsentinel.projections.HeldBack.slot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A link whose target stopped at the second of eight frequent snapshots (3 kept): the three expired
 * snapshots newer than its base are kept for it, and the datasets and links answers and /metrics say so.
 */
class RetentionHeldBackRoutesTest {
    private static final LinkId LINK = HeldBack.LINK;

    private final ObjectMapper json = Json.newMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        HeldBack fixture = HeldBack.under(HeldBack.keep3());
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), ZsentinelApi.routes(fixture.inventory(),
                new FleetView(fixture.clock(), new FailureDetector(DetectorSettings.DEFAULTS)), new AuditView(), fixture.links(),
                new HealthEndpoint()), 2);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theDatasetSaysWhichLinkHoldsBackHowManySnapshotsAndBytesSinceWhen() throws Exception {
        JsonNode dataset = json.readTree(get("/api/datasets").body()).get(0);
        assertEquals(8, dataset.get("snapshotCount").asInt(), "the summary's fields stay where they were");
        JsonNode held = dataset.get("retentionHeldBack").get(0);
        assertHeld(held);
        assertTrue(held.get("summary").asText().startsWith("retention of store-a:primary/vm1 held back by link "
                + LINK + " since " + slot(6) + ": 3 snapshots, 12000 bytes kept beyond policy"), held.toString());
    }

    @Test
    void theLinkSaysWhatItHoldsBack() throws Exception {
        JsonNode row = json.readTree(get("/api/replication/links").body()).get(0);
        assertEquals(LINK.toString(), row.get("id").asText());
        assertHeld(row.get("retentionHeldBack"));
        JsonNode one = json.readTree(get("/api/replication/links/"
                + URLEncoder.encode(LINK.toString(), StandardCharsets.UTF_8)).body());
        assertHeld(one.get("retentionHeldBack"));
    }

    @Test
    void metricsCarryTheHeldSnapshotsBytesAndSince() throws Exception {
        Exposition text = Exposition.parse(get("/metrics").body());
        String[] labels = {"server", "store-a", "dataset", "primary/vm1", "link", LINK.toString()};
        assertEquals(3.0, text.value("zsentinel_retention_held_snapshots", labels));
        assertEquals(12000.0, text.value("zsentinel_retention_held_bytes", labels));
        assertEquals(slot(6).getEpochSecond(), text.value("zsentinel_retention_held_since_timestamp_seconds", labels));
        assertEquals(40.0, text.value("zsentinel_retention_held_limit_snapshots", labels));
    }

    /** #3, #4 and #5 expired (only #6..#8 are kept) but the target has only #2. */
    private static void assertHeld(JsonNode held) {
        assertEquals(LINK.toString(), held.get("link").asText(), String.valueOf(held));
        assertEquals(3, held.get("snapshots").asInt());
        assertEquals(3000 + 4000 + 5000, held.get("bytes").asLong());
        assertEquals(slot(6).toString(), held.get("since").asText(), "#3 went past the count when #6 was taken");
        assertEquals(frequent(2).name().full(), held.get("base").asText());
        assertEquals(40, held.get("limit").asInt());
        assertEquals(14, held.get("limitDays").asInt());
        assertTrue(held.get("summary").asText().contains("(limit 40 snapshots or 14 days each, then the oldest are pruned"),
                held.toString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
