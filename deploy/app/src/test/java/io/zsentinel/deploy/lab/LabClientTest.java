package io.zsentinel.deploy.lab;

import io.zsentinel.core.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo client's bookkeeping, on two directories standing for the served dataset on the primary and on the
 * standby: records go where the endpoint says, a gap lasts from the last write to the next, and a move to a copy
 * that lacks records reports exactly those.
 */
class LabClientTest {
    private static final Duration TICK = Duration.ofMillis(100);
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Test
    void aMoveToACopyThatLacksTheNewestRecordsReportsThemAndTheGap() throws Exception {
        Path primary = Files.createDirectories(dir.resolve("primary-vm1"));
        Path standby = Files.createDirectories(dir.resolve("standby-vm1"));
        Path endpoint = dir.resolve("vm1.endpoint");
        Files.writeString(endpoint, "primary " + primary + "\n");
        LabClient client = new LabClient(endpoint, clock, new PrintStream(printed, true, StandardCharsets.UTF_8));

        for (int i = 0; i < 5; i++) {
            client.tick();
            clock.advance(TICK);
        }
        List<String> onPrimary = Files.readAllLines(primary.resolve(LabClient.RECORDS));
        assertEquals(5, onPrimary.size());
        assertTrue(onPrimary.get(0).startsWith("1 2026-12-01T08:00:00Z primary"), onPrimary.get(0));
        // replicated up to record 3, then the primary fails: its dataset is gone
        Files.write(standby.resolve(LabClient.RECORDS), onPrimary.subList(0, 3));
        Files.delete(primary.resolve(LabClient.RECORDS));
        Files.delete(primary);
        for (int i = 0; i < 30; i++) {
            client.tick();
            clock.advance(TICK);
        }
        Files.writeString(endpoint, "standby " + standby + "\n"); // the promote hook's switch
        client.tick();

        LabClient.Summary summary = client.summary();
        assertEquals(6, summary.written(), "five on the primary, one on the standby");
        assertEquals(1, summary.gaps());
        assertEquals(Duration.ofMillis(3100), summary.longestGap(), "from the last write on the primary (08:00:00.4)"
                + " to the first on the standby (08:00:03.5)");
        assertEquals(List.of(4L, 5L), List.copyOf(new java.util.TreeSet<>(summary.missing().keySet())));
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("service unavailable: primary"), out);
        assertTrue(out.contains("2 record(s) written before the move are missing on standby: 4..5"), out);
        assertTrue(out.contains("service back on standby after a gap of 3.1 s"), out);
        assertEquals(List.of("1 2026-12-01T08:00:00Z primary", "2 2026-12-01T08:00:00.100Z primary",
                        "3 2026-12-01T08:00:00.200Z primary", "6 2026-12-01T08:00:03.500Z standby"),
                Files.readAllLines(standby.resolve(LabClient.RECORDS)), "numbering goes on where it was");
        assertEquals(List.of("6 record(s) written, 1 gap(s) in service, the longest 3.1 s", "2 record(s) lost in moves"),
                client.report());
    }

    @Test
    void withoutAnEndpointNothingIsWrittenAndTheGapIsReportedOnce() {
        LabClient client = new LabClient(dir.resolve("none.endpoint"), clock, new PrintStream(printed, true,
                StandardCharsets.UTF_8));
        client.tick();
        client.tick();
        assertEquals(0, client.summary().written());
        String out = printed.toString(StandardCharsets.UTF_8);
        assertEquals(1, out.split("service unavailable", -1).length - 1, out);
    }
}
