package io.zsentinel.deploy.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code zsentinel history} against a controller that answers as {@code GET /api/history} does. */
class HistoryCliTest extends ControllerStub {
    static final String PAGE = """
            {"subject":"storage-01","events":[
             {"sequence":0,"at":"2026-12-02T10:00:00Z","type":"ServerRegistered",
              "event":{"server":"storage-01","at":"2026-12-02T10:00:00Z"}},
             {"sequence":3,"at":"2026-12-02T10:03:00Z","type":"ServerDeclaredFailed",
              "event":{"server":"storage-01","evidence":["POOL_FAILED"],"reason":"pool tank FAULTED"}}],
             "next":null}""";

    @Test
    void theTimelineShowsEachEventWithItsTimeSequenceTypeAndFieldsAndTheFiltersTravel() {
        answer = PAGE;
        assertEquals(0, run("history", "storage-01", "--since", "2026-12-01T00:00:00Z", "--type",
                "ServerRegistered,ServerDeclaredFailed"), err());
        String sent = requests.get(0);
        assertTrue(sent.startsWith("GET /api/history?subject=storage-01&limit=500&since=2026-12-01T00:00:00Z"
                + "&type=ServerRegistered%2CServerDeclaredFailed "), sent);
        assertTrue(out().contains("2026-12-02 10:00:00 Z  #0  ServerRegistered  server=storage-01,"
                + " at=2026-12-02T10:00:00Z"), out());
        assertTrue(out().contains("#3  ServerDeclaredFailed  server=storage-01, evidence=[\"POOL_FAILED\"],"
                + " reason=pool tank FAULTED"), out());
    }

    @Test
    void withJsonEachEventIsOneLineOfJson() {
        answer = PAGE;
        assertEquals(0, run("history", "storage-01", "--json"), err());
        String[] lines = out().strip().split("\n");
        assertEquals(2, lines.length, out());
        assertTrue(lines[1].startsWith("{\"sequence\":3,") && lines[1].contains("\"type\":\"ServerDeclaredFailed\""),
                lines[1]);
    }

    @Test
    void anUnknownSubjectIsRefusedWithTheControllersHint() {
        status = 404;
        answer = "{\"error\":\"no history for \\\"nowhere\\\"\",\"hint\":\"a subject is a server (storage-01), …\"}";
        assertEquals(1, run("history", "nowhere"));
        assertTrue(err().contains("refused (HTTP 404): no history for \"nowhere\""), err());
        assertTrue(err().contains("hint: a subject is a server"), err());
    }
}
