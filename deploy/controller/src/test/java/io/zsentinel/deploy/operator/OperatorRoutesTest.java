package io.zsentinel.deploy.operator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.projections.audit.AuditEntry;
import io.zsentinel.projections.audit.Operation;
import io.zsentinel.projections.web.ApiServer;
import io.zsentinel.replication.api.TakeCheckpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.zsentinel.deploy.operator.OperatorApi.A;
import static io.zsentinel.deploy.operator.OperatorApi.B;
import static io.zsentinel.deploy.operator.OperatorApi.VM1;
import static io.zsentinel.deploy.operator.OperatorApi.VM2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator routes over HTTP, on a real Axon configuration with the real Dataset aggregate. */
class OperatorRoutesTest {
    private static final String VM1_PATH = "/api/datasets/primary%2Fvm1";

    private final ObjectMapper json = Json.newMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private OperatorApi fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new OperatorApi();
        fixture.seed(A, VM1, 3);
        fixture.seed(A, VM2, 1);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aCheckpointIsOrderedAuditedAndFollowable() throws Exception {
        HttpResponse<String> response = post(VM1_PATH + "/checkpoint",
                "{\"operator\": \"alice@ops\", \"reason\": \"before the upgrade\"}");
        assertEquals(202, response.statusCode(), response.body());
        JsonNode body = json.readTree(response.body());
        assertEquals("ordered", body.get("status").asText());
        UUID commandId = UUID.fromString(body.get("commandId").asText());

        AuditEntry entry = fixture.audit.audit(Optional.empty(), 10).get(0);
        assertEquals(commandId, entry.commandId(), "the answer's id is the one the aggregate gave the command");
        JsonNode audit = json.readTree(get("/api/audit?dataset=primary%2Fvm1").body());
        assertEquals("alice@ops", audit.get(0).get("operator").asText());
        assertEquals("before the upgrade", audit.get(0).get("reason").asText());
        JsonNode op = json.readTree(get(body.get("operation").asText()).body());
        assertEquals("checkpoint", op.get("kind").asText());
        assertEquals("ordered", op.get("status").asText());
        assertTrue(op.get("snapshot").asText().startsWith("primary/vm1@zsentinel_checkpoint_"));

        HttpResponse<String> release = post(VM1_PATH + "/checkpoints/"
                + op.get("snapshot").asText().replace("primary/vm1@", "") + "/release",
                "{\"operator\": \"alice@ops\", \"reason\": \"upgrade done\"}");
        assertEquals(200, release.statusCode(), release.body());
        assertTrue(fixture.audit.audit(Optional.empty(), 1).get(0).action().startsWith("release checkpoint"));
    }

    @Test
    void rollbackIsRefusedWhileItWouldDestroyNewerSnapshotsUnlessToldTo() throws Exception {
        HttpResponse<String> refused = post(VM1_PATH + "/rollback",
                "{\"snapshot\": \"s1\", \"operator\": \"alice\", \"reason\": \"bad patch\"}");
        assertEquals(409, refused.statusCode());
        JsonNode error = json.readTree(refused.body());
        assertTrue(error.get("error").asText().contains("would destroy 2 newer snapshot(s): s2, s3"), error.toString());
        assertTrue(error.get("hint").asText().contains("\"destroyNewer\": true"));
        assertTrue(fixture.audit.audit(Optional.empty(), 10).isEmpty(), "a refusal orders and audits nothing");

        HttpResponse<String> ordered = post(VM1_PATH + "/rollback",
                "{\"snapshot\": \"primary/vm1@s1\", \"destroyNewer\": true, \"operator\": \"alice\", \"reason\": \"bad patch\"}");
        assertEquals(202, ordered.statusCode(), ordered.body());
        Operation op = fixture.audit.operation(UUID.fromString(json.readTree(ordered.body()).get("commandId").asText()))
                .orElseThrow();
        assertEquals("roll back to s1, destroying s2, s3", op.description());
    }

    @Test
    void aRulesRefusalIsA409Or400WithItsCorrectionInTheHint() throws Exception {
        HttpResponse<String> conflict = post(VM1_PATH + "/rollback",
                "{\"snapshot\": \"s1\", \"operator\": \"alice\", \"reason\": \"bad patch\"}");
        assertEquals(409, conflict.statusCode(), conflict.body());
        JsonNode refused = json.readTree(conflict.body());
        assertTrue(refused.get("error").asText().endsWith("would destroy 2 newer snapshot(s): s2, s3"), refused.toString());
        assertTrue(refused.get("hint").asText().startsWith("nothing was ordered; repeat with --destroy-newer"),
                refused.toString());

        HttpResponse<String> invalid = post(VM1_PATH + "/checkpoints/s1/release",
                "{\"operator\": \"alice\", \"reason\": \"cleanup\"}");
        assertEquals(400, invalid.statusCode(), invalid.body());
        JsonNode notACheckpoint = json.readTree(invalid.body());
        assertTrue(notACheckpoint.get("error").asText().endsWith("is not a checkpoint of primary/vm1 on server store-a"),
                notACheckpoint.toString());
        assertTrue(notACheckpoint.get("hint").asText().contains("checkpoints: none"), notACheckpoint.toString());
        assertTrue(fixture.audit.audit(Optional.empty(), 10).isEmpty(), "a refusal orders and audits nothing");
    }

    @Test
    void anUnexpectedIllegalStateExceptionInAHandlerIsA500WithAnIdThatTheLogHasOnceWithTheStackTrace() throws Exception {
        fixture.axon.commandBus().registerHandlerInterceptor((unitOfWork, chain) -> {
            if (unitOfWork.getMessage().getPayload() instanceof TakeCheckpoint c && c.reason().equals("trip")) {
                throw new IllegalStateException("a defect, not a refusal");
            }
            return chain.proceed();
        });
        Logger logger = (Logger) LoggerFactory.getLogger(ApiServer.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        HttpResponse<String> response;
        try {
            response = post(VM1_PATH + "/checkpoint", "{\"operator\": \"alice\", \"reason\": \"trip\"}");
        } finally {
            logger.detachAppender(log);
        }
        assertEquals(500, response.statusCode(), response.body());
        JsonNode error = json.readTree(response.body());
        Matcher id = Pattern.compile("error id ([0-9a-f]{8})").matcher(error.get("error").asText());
        assertTrue(id.find(), error.toString());
        assertTrue(error.get("hint").asText().contains("error id " + id.group(1)), error.toString());
        assertTrue(!response.body().contains("a defect"), "the defect's text stays in the log: " + response.body());
        List<ILoggingEvent> logged = log.list.stream()
                .filter(e -> e.getFormattedMessage().contains(id.group(1))).toList();
        assertEquals(1, logged.size(), log.list.toString());
        assertEquals(Level.ERROR, logged.get(0).getLevel());
        assertTrue(stackTraceText(logged.get(0).getThrowableProxy()).contains("a defect, not a refusal"),
                "logged with its stack trace");

        assertEquals(202, post(VM1_PATH + "/checkpoint", "{\"operator\": \"alice\", \"reason\": \"fine\"}")
                .statusCode(), "the next order goes through");
    }

    private static String stackTraceText(IThrowableProxy thrown) {
        StringBuilder text = new StringBuilder();
        for (IThrowableProxy t = thrown; t != null; t = t.getCause()) {
            text.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    @Test
    void restoreTakesAPathInsideTheSnapshotOnly() throws Exception {
        assertEquals(202, post(VM1_PATH + "/restore", "{\"snapshot\": \"s2\", \"path\": \"etc/app.conf\", "
                + "\"to\": \"/var/restore\", \"operator\": \"alice\", \"reason\": \"lost config\"}").statusCode());
        HttpResponse<String> escape = post(VM1_PATH + "/restore",
                "{\"snapshot\": \"s2\", \"path\": \"../x\", \"operator\": \"alice\", \"reason\": \"r\"}");
        assertEquals(400, escape.statusCode());
        assertTrue(json.readTree(escape.body()).get("error").asText().contains("leaves the snapshot"));
        assertEquals(400, post(VM1_PATH + "/restore", "{\"snapshot\": \"s2\", \"path\": \"x\", \"to\": \"relative\", "
                + "\"operator\": \"alice\", \"reason\": \"r\"}").statusCode());
        HttpResponse<String> noSuch = post(VM1_PATH + "/restore",
                "{\"snapshot\": \"s9\", \"path\": \"x\", \"operator\": \"alice\", \"reason\": \"r\"}");
        assertEquals(400, noSuch.statusCode());
        assertTrue(json.readTree(noSuch.body()).get("error").asText().contains("no snapshot primary/vm1@s9"));
    }

    @Test
    void badRequestsAreRefusedWithAHint() throws Exception {
        HttpResponse<String> noReason = post(VM1_PATH + "/checkpoint", "{\"operator\": \"alice\"}");
        assertEquals(400, noReason.statusCode());
        assertTrue(json.readTree(noReason.body()).get("error").asText().contains("a reason is required"));
        HttpResponse<String> noOperator = post(VM1_PATH + "/checkpoint", "{\"reason\": \"r\"}");
        assertEquals(400, noOperator.statusCode());
        assertTrue(json.readTree(noOperator.body()).get("hint").asText().contains("X-Zsentinel-Operator"));
        assertEquals(400, post(VM1_PATH + "/checkpoint", "{\"reason\": ").statusCode());
        assertEquals(400, post(VM1_PATH + "/checkpoint", "[]").statusCode());
        assertEquals(400, post(VM1_PATH + "/rollback",
                "{\"snapshot\": \"s1\", \"destroy_newer\": true, \"operator\": \"a\", \"reason\": \"r\"}").statusCode());
        assertEquals(400, post(VM1_PATH + "/rollback",
                "{\"snapshot\": \"s1\", \"destroyNewer\": \"yes\", \"operator\": \"a\", \"reason\": \"r\"}").statusCode());
        assertEquals(404, post("/api/datasets/primary%2Fnope/checkpoint", "{\"operator\": \"a\", \"reason\": \"r\"}")
                .statusCode());
        HttpResponse<String> hostile = post("/api/datasets/vm%3Breboot/checkpoint", "{\"operator\": \"a\", \"reason\": \"r\"}");
        assertEquals(400, hostile.statusCode());
        assertTrue(json.readTree(hostile.body()).get("error").asText().contains("';'"));
        assertEquals(400, post(VM1_PATH + "/rollback",
                "{\"snapshot\": \"s1;rm -rf\", \"operator\": \"a\", \"reason\": \"r\"}").statusCode());
        assertTrue(fixture.audit.audit(Optional.empty(), 10).isEmpty());
    }

    @Test
    void aReasonWithControlCharactersIsRefusedNamingTheField() throws Exception {
        // a window-title sequence, a colour, and a forged second line
        String hostile = "{\"operator\": \"alice\", \"reason\": \"\\u001b]0;title\\u0007 \\u001b[31mred\\r\\nforged\"}";
        HttpResponse<String> checkpoint = post(VM1_PATH + "/checkpoint", hostile);
        assertEquals(400, checkpoint.statusCode(), checkpoint.body());
        String error = json.readTree(checkpoint.body()).get("error").asText();
        assertTrue(error.contains("\"reason\" contains an escape character (U+001B) at character 1"), error);
        assertEquals(400, post(VM1_PATH + "/rollback", "{\"snapshot\": \"s1\", \"operator\": \"a\", "
                + "\"reason\": \"line one\\nline two\"}").statusCode());
        HttpResponse<String> path = post(VM1_PATH + "/restore", "{\"snapshot\": \"s2\", \"path\": \"etc/\\u001b[2Jx\", "
                + "\"operator\": \"a\", \"reason\": \"r\"}");
        assertEquals(400, path.statusCode());
        assertTrue(json.readTree(path.body()).get("error").asText().startsWith("\"path\" contains"), path.body());
        HttpResponse<String> operator = post(VM1_PATH + "/checkpoint", "{\"operator\": \"bob\\u202Eevil\", \"reason\": \"r\"}");
        assertEquals(400, operator.statusCode(), "a bidi override reorders what the terminal shows");
        assertTrue(json.readTree(operator.body()).get("error").asText().contains("\"operator\" contains"), operator.body());
        assertTrue(fixture.audit.audit(Optional.empty(), 10).isEmpty(), "nothing was ordered or audited");
    }

    @Test
    void aRestoreRefusalNamesTheJsonFieldNotTheCliFlag() throws Exception {
        HttpResponse<String> relative = post(VM1_PATH + "/restore", "{\"snapshot\": \"s2\", \"path\": \"x\", "
                + "\"to\": \"relative\", \"operator\": \"alice\", \"reason\": \"r\"}");
        assertEquals(400, relative.statusCode());
        JsonNode error = json.readTree(relative.body());
        assertTrue(error.get("error").asText().startsWith("\"to\" must be an absolute directory"), error.toString());
        assertTrue(!relative.body().contains("--"), "no CLI flag in a REST answer: " + relative.body());
        HttpResponse<String> noReason = post(VM1_PATH + "/checkpoint", "{\"operator\": \"alice\"}");
        assertTrue(!noReason.body().contains("--reason"), noReason.body());
    }

    @Test
    void theOperatorMayComeFromTheHeader() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fixture.url() + VM1_PATH + "/checkpoint"))
                .header("X-Zsentinel-Operator", "bob@host")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"r\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        assertEquals("bob@host", fixture.audit.audit(Optional.empty(), 1).get(0).operator());
    }

    @Test
    void aDatasetOnSeveralServersNeedsTheServer() throws Exception {
        fixture.seed(B, VM1, 1);
        HttpResponse<String> ambiguous = post(VM1_PATH + "/checkpoint", "{\"operator\": \"a\", \"reason\": \"r\"}");
        assertEquals(400, ambiguous.statusCode());
        assertTrue(json.readTree(ambiguous.body()).get("error").asText().contains("[store-a, store-b]"));
        HttpResponse<String> onB = post(VM1_PATH + "/checkpoint",
                "{\"server\": \"store-b\", \"operator\": \"a\", \"reason\": \"r\"}");
        assertEquals(202, onB.statusCode(), onB.body());
        assertEquals("store-b", json.readTree(onB.body()).get("server").asText());
    }

    @Test
    void aServerCheckpointOrdersOnePerDataset() throws Exception {
        HttpResponse<String> response = post("/api/servers/store-a/checkpoint", "{\"operator\": \"a\", \"reason\": \"r\"}");
        assertEquals(202, response.statusCode(), response.body());
        JsonNode ordered = json.readTree(response.body()).get("ordered");
        assertEquals(List.of("primary/vm1", "primary/vm2"),
                List.of(ordered.get(0).get("dataset").asText(), ordered.get(1).get("dataset").asText()));
        assertEquals(2, fixture.audit.operations(Optional.empty(), 10).size());
        assertEquals(404, post("/api/servers/store-z/checkpoint", "{\"operator\": \"a\", \"reason\": \"r\"}")
                .statusCode());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fixture.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fixture.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
