package io.zsentinel.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.deploy.operator.LinkApi;
import io.zsentinel.replication.api.link.LinkState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static io.zsentinel.deploy.operator.LinkApi.LINK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code zsentinel replication ...} and the links table of {@code zsentinel status}, against the real API. */
class ReplicationCliTest {
    private static final String ID = "store-a:primary/vm1->store-b:backup/vm1";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
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
    void pauseThenStatusShowsWhoPausedIt() throws Exception {
        assertEquals(0, run("pause", ID, "--reason", "target maintenance"), err());
        assertTrue(out().contains("paused " + ID), out());
        assertEquals(LinkState.PAUSED, fixture.links.link(LINK).orElseThrow().linkState());
        assertEquals("tester@host", fixture.links.link(LINK).orElseThrow().paused().operator());

        ByteArrayOutputStream status = new ByteArrayOutputStream();
        assertEquals(0, StatusCommand.print(fixture.url(), new PrintStream(status, true, StandardCharsets.UTF_8)));
        String table = status.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("LINK"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith(ID) && l.contains("paused")
                && l.contains("never") && l.endsWith("paused by tester@host: target maintenance")), table);
    }

    @Test
    void aRefusalExitsWithOneAndSaysWhy() throws Exception {
        run("pause", ID, "--reason", "maintenance");
        assertEquals(1, run("sync-now", ID, "--reason", "now please"));
        assertTrue(err().contains("refused (HTTP 409)") && err().contains("resume it first"), err());
    }

    @Test
    void resolveWithoutTheFlagIsRefusedSayingWhatItDiscards() throws Exception {
        fixture.diverge();
        UsageException e = assertThrows(UsageException.class, () -> run("resolve", ID, "--reason", "r"));
        assertTrue(e.getMessage().contains("discards the target's own snapshots"), e.getMessage());
        assertTrue(e.getMessage().contains("--rollback-target"), e.getMessage());
        assertEquals(LinkState.DIVERGED, fixture.links.link(LINK).orElseThrow().linkState());

        assertEquals(0, run("resolve", ID, "--rollback-target", "--reason", "mounted by mistake"), err());
        assertTrue(fixture.links.link(LINK).orElseThrow().diverged() == null);
    }

    @Test
    void theCommandLineIsCheckedBeforeAnythingIsSent() {
        assertTrue(assertThrows(UsageException.class, () -> run("pause", ID)).getMessage().contains("--reason"));
        assertTrue(assertThrows(UsageException.class, () -> run("pause", "store-a:primary/vm1", "--reason", "r"))
                .getMessage().contains("quote it"));
        assertTrue(assertThrows(UsageException.class, () -> run("stop", ID, "--reason", "r"))
                .getMessage().contains("unknown replication command"));
        assertTrue(assertThrows(UsageException.class, () -> run("pause", ID, "--rollback-target", "--reason", "r"))
                .getMessage().contains("resolve only"));
        assertThrows(UsageException.class, () -> run("pause", "--reason", "r"));
    }

    @Test
    void theLinksTableFormatsAgesLagsAndNotes() throws Exception {
        String rows = """
                [{"id": "a:p/x->b:q/x", "state": "failing", "lastSuccessAgeSeconds": 3725, "lagSeconds": 4000,
                  "consecutiveFailures": 3, "failingSince": "2025-03-01T10:00:00Z", "lastFailureReason": "no space",
                  "circuitOpen": true, "circuitOpenUntil": "2025-03-01T11:00:00Z"},
                 {"id": "a:p/y->b:q/y", "state": "in-sync", "lastSuccessAgeSeconds": 42, "lagSeconds": 0,
                  "consecutiveFailures": 0},
                 {"id": "a:p/z->b:q/z", "state": "diverged", "lagSeconds": null, "consecutiveFailures": 0,
                  "diverged": {"reason": "the target was written to", "targetOnly": ["q/z@local"]}}]""";
        String table = LinkTable.format(new ObjectMapper().readTree(rows));
        assertEquals(String.join("\n",
                String.format("%-48s %-12s %-14s %-8s %8s  %s", "LINK", "STATE", "LAST SUCCESS", "LAG", "FAILURES", "NOTE"),
                String.format("%-48s %-12s %-14s %-8s %8s  %s", "a:p/x->b:q/x", "failing", "1h02m ago", "1h06m", 3,
                        "failing since 2025-03-01T10:00:00Z: no space; circuit open until 2025-03-01T11:00:00Z"),
                String.format("%-48s %-12s %-14s %-8s %8s", "a:p/y->b:q/y", "in-sync", "42s ago", "0s", 0),
                String.format("%-48s %-12s %-14s %-8s %8s  %s", "a:p/z->b:q/z", "diverged", "never", "-", 0,
                        "diverged: the target was written to (target only: q/z@local)"),
                ""), table);
        assertEquals("2d04h", LinkTable.duration(2 * 86400 + 4 * 3600 + 59));
        assertEquals("12m05s", LinkTable.duration(725));
    }

    private int run(String... args) throws Exception {
        Options options = new Options(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--url", fixture.url())).toArray(String[]::new));
        return new ReplicationCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> "tester@host").run(options);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
