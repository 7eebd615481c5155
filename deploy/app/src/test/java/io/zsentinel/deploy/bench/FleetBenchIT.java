package io.zsentinel.deploy.bench;

import io.zsentinel.deploy.bench.FleetBench.Phase;
import io.zsentinel.deploy.bench.FleetBench.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code zsentinel bench fleet} on a tiny fleet (the real controller, an embedded PostgreSQL, the in-process
 * broker): every phase runs, prints its rows and appends them to the report; {@code --only} reports only the
 * phases chosen. No figure's size is asserted, only that each measured what it says.
 */
class FleetBenchIT {
    private static final Duration WAIT = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void aTinyFleetRunsEveryPhaseAndReportsEveryRow() throws Exception {
        Path report = dir.resolve("benchmarks.md");
        Files.writeString(report, "# earlier results\n");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        FleetBench bench = new FleetBench(options(Set.of(), report), new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertEquals(0, bench.run());

        List<Row> rows = bench.rows();
        assertEquals(EnumSet.allOf(Phase.class), rows.stream().map(Row::phase).collect(Collectors.toSet()), rows.toString());
        String text = Files.readString(report);
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("# earlier results\n"), "the report is appended to, not replaced");
        assertTrue(text.contains("| what | smoke | how |"), text);
        assertTrue(text.contains("load average "), text);
        for (Row row : rows) {
            assertTrue(text.contains("| " + row.what() + " | " + row.figure() + " | " + row.how() + " |"), text);
            assertTrue(out.contains(row.phase().label() + ": " + row.what() + ": " + row.figure()), out);
        }
        // each row measured the fleet it was given: 2 servers × (3 datasets + a heartbeat + a pool report)
        assertTrue(figure(rows, "agent facts applied").contains("(10 facts in "), rows.toString());
        assertTrue(figure(rows, "the same inventories again").contains("(6 facts in "), rows.toString());
        assertTrue(figure(rows, "domain events republished").contains("(all "), rows.toString());
        assertTrue(figure(rows, "heartbeat delay under a burst of 20").endsWith(" s**"), rows.toString());
        assertTrue(figure(rows, "a command on a dataset with 30 snapshots").contains("(HTTP 202)"), rows.toString());
        assertTrue(figure(rows, "first replication pass").contains(", 12 links (6 datasets × 2 targets)"), rows.toString());
        try (Stream<Path> left = Files.list(dir.resolve("work"))) {
            assertEquals(List.of(), left.toList(), "the broker's and the store's files are removed");
        }
    }

    @Test
    void onlyTheChosenPhasesAreReported() throws Exception {
        FleetBench bench = new FleetBench(options(Set.of(Phase.REBUILD), null),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertEquals(0, bench.run());

        assertEquals(Set.of(Phase.REBUILD), bench.rows().stream().map(Row::phase).collect(Collectors.toSet()));
    }

    private FleetBench.Options options(Set<Phase> only, Path report) {
        return new FleetBench.Options(2, 3, 2, 20, List.of(30), only, null, null, null, dir.resolve("work"), report,
                "smoke", WAIT, WAIT, WAIT);
    }

    private static String figure(List<Row> rows, String what) {
        return rows.stream().filter(r -> r.what().startsWith(what)).map(Row::figure).findFirst()
                .orElseThrow(() -> new AssertionError("no row \"" + what + "\" in " + rows));
    }
}
