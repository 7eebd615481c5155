package io.zsentinel.projections.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.audit.AuditView;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.RetentionPolicyChanged;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.ReplicationLinkEstablished;
import io.zsentinel.replication.api.link.ReplicationSucceeded;
import io.zsentinel.replication.api.link.SnapshotRef;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;
import io.zsentinel.replication.retention.SnapshotNaming;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static io.zsentinel.projections.Events.A_VM1;
import static io.zsentinel.projections.Events.B;
import static io.zsentinel.projections.Events.T0;
import static io.zsentinel.projections.Events.registered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A link whose target stopped at the second of eight frequent snapshots (3 kept): the three expired
 * snapshots newer than its base are kept for it, and the datasets and links answers and /metrics say so.
 */
class RetentionHeldBackRoutesTest {
    private static final LinkId LINK = new LinkId(A_VM1, new DatasetId(B, DatasetName.of("backup/vm1")));
    private static final RetentionPolicy KEEP_3 = RetentionPolicy.defaults()
            .withOnlyKeep(Map.of(SnapshotClass.FREQUENTLY, 3)).withMaxHeldForReplicas(40).withMaxHeldForReplicasDays(14);

    private final ObjectMapper json = Json.newMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServer api;

    /** Frequent snapshot number {@code txg} (1..8): slot T0 + 15 min × txg, guid 100 + txg, txg × 1000 bytes used. */
    private static SnapshotInfo frequent(long txg) {
        Instant slot = slot(txg);
        return new SnapshotInfo(A_VM1.dataset().snapshot(SnapshotNaming.name(SnapshotClass.FREQUENTLY, slot)),
                new Guid(100 + txg), txg, slot, txg * 1000, txg * 4000);
    }

    private static Instant slot(long txg) {
        return T0.plus(Duration.ofMinutes(15 * txg));
    }

    @BeforeEach
    void start() throws Exception {
        Clock clock = Clock.fixed(slot(9), ZoneOffset.UTC);
        SnapshotInventoryView inventory = new SnapshotInventoryView();
        inventory.on(registered(A_VM1), T0);
        inventory.on(new RetentionPolicyChanged(A_VM1, KEEP_3, T0), T0);
        for (long txg = 1; txg <= 8; txg++) {
            inventory.on(new SnapshotRecorded(A_VM1, frequent(txg), null, slot(txg)), slot(txg));
        }
        ReplicationLinkView links = new ReplicationLinkView(clock, inventory);
        SnapshotInfo base = frequent(2);
        links.on(new ReplicationLinkEstablished(LINK, LINK.source(), LINK.target(), Duration.ofMinutes(1),
                LinkPolicy.defaults(), T0), 0L);
        links.on(new ReplicationSucceeded(LINK, UUID.nameUUIDFromBytes(new byte[] {1}),
                new SnapshotRef(base.name(), base.guid(), base.created()), 100, slot(2)), 1L);
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), ZsentinelApi.routes(inventory,
                new FleetView(clock, new FailureDetector(DetectorSettings.DEFAULTS)), new AuditView(), links, new HealthEndpoint()), 2);
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
        String text = get("/metrics").body();
        String labels = "{server=\"store-a\",dataset=\"primary/vm1\",link=\"" + LINK + "\"}";
        assertTrue(text.contains("zsentinel_retention_held_snapshots" + labels + " 3\n"), text);
        assertTrue(text.contains("zsentinel_retention_held_bytes" + labels + " 12000\n"), text);
        assertTrue(text.contains("zsentinel_retention_held_since_timestamp_seconds" + labels + " "
                + slot(6).getEpochSecond() + "\n"), text);
        assertTrue(text.contains("zsentinel_retention_held_limit_snapshots" + labels + " 40\n"), text);
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
