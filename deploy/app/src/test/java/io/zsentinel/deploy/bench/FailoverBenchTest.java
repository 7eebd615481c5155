package io.zsentinel.deploy.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The failover bench's table: a row per round, median and worst over the rounds that switched, the design before. */
class FailoverBenchTest {
    private static FailoverBench.Round round(long detectedMs, long switchedMs, long gapMs, int lost) {
        return new FailoverBench.Round(Duration.ofMillis(detectedMs), Duration.ofMillis(switchedMs),
                Duration.ofMillis(gapMs), lost, 0, null);
    }

    @Test
    void medianAndWorstOverTheRoundsThatSwitched() {
        List<FailoverBench.Round> rounds = List.of(round(6_000, 16_000, 17_000, 30), round(8_000, 20_000, 21_000, 10),
                round(7_000, 18_000, 19_000, 20), new FailoverBench.Round(null, null, null, 0, 0, "no ServiceSwitched"));

        String table = FailoverBench.table(rounds);

        assertTrue(table.contains("| **median** | 7.0 s | 18.0 s | 19.0 s | 20 |"), table);
        assertTrue(table.contains("| **worst** | 8.0 s | 20.0 s | 21.0 s | 30 (0) |"), table);
        assertTrue(table.contains("| 4 | — | — | — | — (no ServiceSwitched) |"), table);
        assertTrue(table.contains("no automatic failover: a person promoted the standby by hand"), table);
        assertTrue(table.contains("3 of 4 round(s) switched."), table);
    }

    @Test
    void anEvenNumberOfRoundsHasTheMeanOfTheMiddleTwoAsMedian() {
        assertEquals(Duration.ofMillis(15_000), FailoverBench.median(List.of(round(0, 10_000, 0, 0),
                round(0, 20_000, 0, 0)), FailoverBench.Round::switched));
    }

    @Test
    void theSwitchoverTableCountsEveryLostRecordAndComparesTheGapWithItsGoal() {
        List<FailoverBench.Round> rounds = List.of(round(1_000, 4_000, 4_500, 0), round(2_000, 6_000, 6_500, 0),
                round(1_500, 5_000, 5_500, 1), new FailoverBench.Round(null, null, null, 0, 0, "switchover refused (409)"));

        String table = FailoverBench.switchoverTable(rounds);

        assertTrue(table.contains("| **median** | 1.5 s | 5.0 s | 5.5 s | 0 |"), table);
        assertTrue(table.contains("| **worst** | 2.0 s | 6.0 s | 6.5 s | 1 |"), table);
        assertTrue(table.contains("| 4 | — | — | — | — (switchover refused (409)) |"), table);
        assertTrue(table.contains("| goal (issue 12) | | | median ≤ 5 s | 0 |"), table);
        assertTrue(table.contains("3 of 4 round(s) switched."), table);
    }
}
