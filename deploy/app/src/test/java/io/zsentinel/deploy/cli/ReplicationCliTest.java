package io.zsentinel.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.operator.LinkApi;
import io.zsentinel.replication.api.link.LinkState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static io.zsentinel.deploy.operator.LinkApi.LINK;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

        String table = status(false);
        assertTrue(table.contains("LINK"), table);
        List<String> lines = table.lines().toList();
        int row = lines.indexOf(lines.stream().filter(l -> l.startsWith(ID)).findFirst().orElseThrow());
        assertTrue(lines.get(row).contains("paused") && lines.get(row).contains("never"), table);
        assertEquals("    paused by tester@host: target maintenance", lines.get(row + 1), table);
    }

    @Test
    void statusSaysFirstWhenTheControllerIsNotReadyAndItsAnswersMayBeOld() throws Exception {
        assertTrue(status(false).lines().noneMatch(l -> l.contains("not ready")));
        fixture.notReady = "views: 2 of 4 views behind the event store's head";
        String first = status(false).lines().findFirst().orElseThrow();
        assertEquals("controller not ready (views: 2 of 4 views behind the event store's head):"
                + " what follows may be out of date", first);
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
        assertEquals(2, run("resolve", ID, "--reason", "r"));
        assertTrue(err().contains("discards the target's own snapshots"), err());
        assertTrue(err().contains("zsentinel replication resolve '" + ID + "' --rollback-target --reason R"), err());
        assertEquals(LinkState.DIVERGED, fixture.links.link(LINK).orElseThrow().linkState());

        assertEquals(0, run("resolve", ID, "--rollback-target", "--reason", "mounted by mistake"), err());
        assertTrue(out().contains("resolution ordered for " + ID + ": the next transfer rolls the target back"), out());
        assertTrue(fixture.links.link(LINK).orElseThrow().diverged() == null);
    }

    @Test
    void theCommandLineIsCheckedBeforeAnythingIsSent() throws Exception {
        LinkState before = fixture.links.link(LINK).orElseThrow().linkState();
        assertUsageError("Missing required option: '--reason=R'", "pause", ID);
        assertUsageError("Invalid value for positional parameter at index 0 (<link>): invalid link id \"store-a:primary/vm1\"",
                "pause", "store-a:primary/vm1", "--reason", "r");
        assertTrue(err().contains("(quote it in a shell: '>' redirects)"), err());
        assertUsageError("unknown replication command \"stop\"", "stop", ID, "--reason", "r");
        assertUsageError("Unknown option: '--rollback-target'", "pause", ID, "--rollback-target", "--reason", "r");
        assertUsageError("Missing required parameter: '<link>'", "pause", "--reason", "r");
        assertUsageError("Invalid value for option '--reason': it is blank", "pause", ID, "--reason", "");
        assertEquals(before, fixture.links.link(LINK).orElseThrow().linkState(), "nothing was sent");
        assertTrue(fixture.links.link(LINK).orElseThrow().paused() == null, "nothing was sent");
    }

    private void assertUsageError(String message, String... args) throws Exception {
        err.reset();
        assertEquals(2, run(args), err());
        assertTrue(err().startsWith("zsentinel: " + message), err());
    }

    @Test
    void theLinksTableFitsItsColumnsToTheContentAndPutsNotesUnderTheRow() throws Exception {
        String longId = "store-a-with-a-long-name:primary/customers/eu-west/vm-0001->store-b-offsite:backup/customers/vm-0001";
        String rows = """
                [{"id": "%s", "state": "failing", "lastSuccessAgeSeconds": 3725, "lagSeconds": 4000,
                  "consecutiveFailures": 3, "failingSince": "2025-03-01T10:00:00.123456789Z", "lastFailureReason": "no space",
                  "circuitOpen": true, "circuitOpenUntil": "2025-03-01T11:00:00Z"},
                 {"id": "a:p/y->b:q/y", "state": "in-sync", "lastSuccessAgeSeconds": 42, "lagSeconds": 0,
                  "consecutiveFailures": 12},
                 {"id": "a:p/z->b:q/z", "state": "diverged", "lagSeconds": null, "consecutiveFailures": 0,
                  "diverged": {"reason": "the target was written to", "targetOnly": ["q/z@local"]}}]""".formatted(longId);
        String table = LinkTable.format(new ObjectMapper().readTree(rows), ZoneId.of("Europe/Berlin"), false);
        int idWidth = longId.length();
        assertEquals(String.join("\n",
                String.format("%-" + idWidth + "s  %-8s  %-12s  %-5s  %s", "LINK", "STATE", "LAST SUCCESS", "LAG", "FAILURES"),
                String.format("%-" + idWidth + "s  %-8s  %-12s  %-5s  %8d", longId, "failing", "1h02m ago", "1h06m", 3),
                "    failing since 2025-03-01 11:00:00 CET: no space",
                "    circuit open until 2025-03-01 12:00:00 CET",
                String.format("%-" + idWidth + "s  %-8s  %-12s  %-5s  %8d", "a:p/y->b:q/y", "in-sync", "42s ago", "0s", 12),
                String.format("%-" + idWidth + "s  %-8s  %-12s  %-5s  %8d", "a:p/z->b:q/z", "diverged", "never", "-", 0),
                "    diverged: the target was written to (target only: q/z@local)",
                ""), table);
        assertEquals("2d04h", LinkTable.duration(2 * 86400 + 4 * 3600 + 59));
        assertEquals("12m05s", LinkTable.duration(725));
    }

    @Test
    void statusShowsARefusedReceiveOnceShortenedAndWholeWithFull() throws Exception {
        Instant heard = LinkApi.T0.plusSeconds(3600).plusNanos(123_456_789);
        fixture.detector.heartbeat(ServerId.of("store-a"), heard);
        String zfsError = "cannot receive incremental stream: destination backup/vm1 has been modified since most recent"
                + " snapshot " + "(a very long explanation from zfs) ".repeat(16) + "END-OF-REASON";
        fixture.refuseReceive(zfsError);

        String status = status(false);
        assertEquals(1, count(status, "destination backup/vm1 has been modified"), status);
        assertTrue(!status.contains("END-OF-REASON") && status.contains("characters: zsentinel status --full)"), status);
        assertTrue(status.lines().allMatch(l -> l.length() <= 240), status);
        assertTrue(status.contains("2025-03-01 11:00:00 UTC") && !status.contains("123456789"), status);
        List<String> lines = status.lines().toList();
        String header = lines.stream().filter(l -> l.startsWith("LINK")).findFirst().orElseThrow();
        String row = lines.stream().filter(l -> l.startsWith(ID)).findFirst().orElseThrow();
        assertEquals(header.indexOf("STATE"), row.indexOf("diverged"), status);
        assertTrue(lines.contains("    failing since 2025-03-01 10:00:40 UTC"), status);

        String full = status(true);
        assertEquals(1, count(full, "cannot receive incremental stream"), full);
        assertTrue(full.contains("END-OF-REASON") && full.lines().allMatch(l -> l.length() <= LinkTable.WRAP_WIDTH + 4), full);
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private String status(boolean full) throws Exception {
        ByteArrayOutputStream status = new ByteArrayOutputStream();
        assertEquals(0, StatusCommand.print(fixture.url(), new PrintStream(status, true, StandardCharsets.UTF_8),
                ZoneId.of("UTC"), full));
        return status.toString(StandardCharsets.UTF_8);
    }

    private int run(String... args) {
        String[] all = java.util.stream.Stream.of(new String[]{"replication"}, args, new String[]{"--url", fixture.url()})
                .flatMap(java.util.Arrays::stream).toArray(String[]::new);
        return Main.commandLine(new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> "tester@host", d -> { }, ZoneId.of("UTC")))
                .execute(all);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
