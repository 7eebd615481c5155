package io.zsentinel.deploy.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.replication.api.link.DivergenceResolutionOrdered;
import io.zsentinel.replication.api.link.LinkPaused;
import io.zsentinel.replication.api.link.LinkState;
import io.zsentinel.replication.api.link.SyncRequested;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static io.zsentinel.deploy.operator.LinkApi.LINK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The link routes over HTTP, on a real Axon configuration with the real ReplicationLink aggregate. */
class LinkRoutesTest {
    private static final String PATH = "/api/replication/links/" + URLEncoder.encode(LINK.toString(), StandardCharsets.UTF_8);
    private static final String WHO = "\"operator\": \"alice@ops\", \"reason\": \"target maintenance\"";

    private final ObjectMapper json = Json.newMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private LinkApi fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new LinkApi();
        fixture.establish();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void pauseAndResumeAreRecordedWithWhoAndWhyAndShowInTheView() throws Exception {
        HttpResponse<String> paused = post(PATH + "/pause", "{" + WHO + "}");
        assertEquals(200, paused.statusCode(), paused.body());
        JsonNode body = json.readTree(paused.body());
        assertEquals(LINK.toString(), body.get("link").asText());
        assertEquals("pause", body.get("action").asText());
        assertEquals(PATH, body.get("view").asText());
        JsonNode view = json.readTree(get(PATH).body());
        assertEquals("paused", view.get("state").asText());
        assertEquals("alice@ops", view.get("paused").get("operator").asText());
        assertEquals("target maintenance", view.get("paused").get("reason").asText());

        assertEquals(200, post(PATH + "/pause", "{" + WHO + "}").statusCode(), "a repeated pause is no error");
        assertEquals(1, fixture.events().stream().filter(LinkPaused.class::isInstance).count(),
                "... and records nothing more");

        assertEquals(200, post(PATH + "/resume", "{\"operator\": \"bob\", \"reason\": \"done\"}").statusCode());
        assertEquals(LinkState.LAGGING, fixture.links.link(LINK).orElseThrow().linkState());
    }

    @Test
    void syncNowIsRefusedWithA409WhileThePausedLinkSaysHowToProceed() throws Exception {
        post(PATH + "/pause", "{" + WHO + "}");
        HttpResponse<String> refused = post(PATH + "/sync-now", "{" + WHO + "}");
        assertEquals(409, refused.statusCode(), refused.body());
        JsonNode error = json.readTree(refused.body());
        assertTrue(error.get("error").asText().endsWith("is paused"), error.toString());
        assertTrue(error.get("hint").asText().startsWith("nothing was ordered; resume it first"), error.toString());

        post(PATH + "/resume", "{" + WHO + "}");
        assertEquals(200, post(PATH + "/sync-now", "{" + WHO + "}").statusCode());
        assertEquals(1, fixture.events().stream().filter(SyncRequested.class::isInstance).count());
        assertEquals("alice@ops", fixture.links.link(LINK).orElseThrow().syncRequested().operator());
    }

    @Test
    void resolvingNeedsTheExplicitConsentToDiscardTheTargetsData() throws Exception {
        fixture.diverge();
        HttpResponse<String> noConsent = post(PATH + "/resolve", "{" + WHO + "}");
        assertEquals(400, noConsent.statusCode());
        JsonNode error = json.readTree(noConsent.body());
        assertTrue(error.get("error").asText().contains("discards the target's own snapshots"), error.toString());
        assertTrue(error.get("hint").asText().contains("\"rollbackTarget\": true"), error.toString());
        assertEquals(400, post(PATH + "/resolve", "{\"rollbackTarget\": false, " + WHO + "}").statusCode());
        assertEquals(400, post(PATH + "/resolve", "{\"rollbackTarget\": \"yes\", " + WHO + "}").statusCode());
        assertEquals(400, post(PATH + "/resolve", "{\"rollback_target\": true, " + WHO + "}").statusCode());
        assertEquals(0, fixture.events().stream().filter(DivergenceResolutionOrdered.class::isInstance).count());
        assertEquals("diverged", json.readTree(get(PATH).body()).get("state").asText());

        HttpResponse<String> ordered = post(PATH + "/resolve", "{\"rollbackTarget\": true, " + WHO + "}");
        assertEquals(200, ordered.statusCode(), ordered.body());
        assertEquals(1, fixture.events().stream().filter(DivergenceResolutionOrdered.class::isInstance).count());
        JsonNode view = json.readTree(get(PATH).body());
        assertTrue(view.get("diverged").isNull());
        assertEquals("alice@ops", view.get("resolutionOrdered").get("operator").asText());
    }

    @Test
    void resolvingALinkThatHasNotDivergedIsAConflict() throws Exception {
        HttpResponse<String> refused = post(PATH + "/resolve", "{\"rollbackTarget\": true, " + WHO + "}");
        assertEquals(409, refused.statusCode());
        assertTrue(json.readTree(refused.body()).get("error").asText().contains("has not diverged"));
    }

    @Test
    void badRequestsAndUnknownLinks() throws Exception {
        HttpResponse<String> noReason = post(PATH + "/pause", "{\"operator\": \"alice\"}");
        assertEquals(400, noReason.statusCode());
        assertTrue(json.readTree(noReason.body()).get("error").asText().contains("a reason is required"));
        assertEquals(400, post(PATH + "/pause", "{\"reason\": \"r\"}").statusCode(), "no operator");
        assertEquals(400, post(PATH + "/pause", "{\"reason\": \"r\", \"operator\": \"a\", \"force\": true}").statusCode());
        assertEquals(400, post("/api/replication/links/primary%2Fvm1/pause", "{" + WHO + "}").statusCode());

        String other = "/api/replication/links/" + URLEncoder.encode("store-a:primary/vm2->store-b:backup/vm2",
                StandardCharsets.UTF_8);
        HttpResponse<String> unknown = post(other + "/pause", "{" + WHO + "}");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(json.readTree(unknown.body()).get("error").asText().contains("no replication link"));
        assertEquals(404, get(other).statusCode());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fixture.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fixture.url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
