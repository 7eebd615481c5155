package io.zsentinel.replication.retention;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.zsentinel.replication.retention.SnapshotClass.DAILY;
import static io.zsentinel.replication.retention.SnapshotClass.FREQUENTLY;
import static io.zsentinel.replication.retention.SnapshotClass.HOURLY;
import static io.zsentinel.replication.retention.SnapshotClass.MONTHLY;
import static io.zsentinel.replication.retention.SnapshotClass.WEEKLY;
import static io.zsentinel.replication.retention.SnapshotClass.YEARLY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A whole year of retention on a virtual clock in Europe/Berlin, from 2026-01-01 00:00 (a Thursday)
 * through 2027-01-01 00:00, across spring forward (29 Mar, 02:00→03:00) and fall back (25 Oct,
 * 03:00→02:00). At every tick the dataset takes what is due and destroys what expires. The tables
 * below were worked out by hand; they list slots in UTC, as the names carry them: midnight in Berlin
 * is 23:00Z the day before in winter (CET) and 22:00Z in summer (CEST).
 */
class YearSimulationTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Instant START = local("2026-01-01T00:00");
    static final Instant END = local("2027-01-01T00:00");
    static final RetentionPolicy BASE = RetentionPolicy.defaults().withZone(BERLIN);

    static Instant local(String wallClock) {
        return ZonedDateTime.of(LocalDateTime.parse(wallClock), BERLIN).toInstant();
    }

    /** Runs the clock from START to END inclusive; returns the snapshot names present after each checkpoint tick. */
    static Map<Instant, List<String>> run(VirtualDataset dataset, Duration step, Instant... checkpoints) {
        List<Instant> ticks = new ArrayList<>();
        for (Instant now = START; !now.isAfter(END); now = now.plus(step)) {
            ticks.add(now);
        }
        return run(dataset, ticks, checkpoints);
    }

    static Map<Instant, List<String>> run(VirtualDataset dataset, List<Instant> ticks, Instant... checkpoints) {
        Map<Instant, List<String>> seen = new LinkedHashMap<>();
        for (Instant now : ticks) {
            dataset.tick(now);
            for (Instant checkpoint : checkpoints) {
                if (checkpoint.equals(now)) {
                    seen.put(now, dataset.names());
                }
            }
        }
        assertEquals(checkpoints.length, seen.size(), "every checkpoint is a tick");
        return seen;
    }

    /** Lines of "class slot slot …" → the sorted snapshot names. */
    static List<String> table(String table) {
        List<String> names = new ArrayList<>();
        for (String line : table.strip().split("\n")) {
            String[] words = line.strip().split("\\s+");
            for (int i = 1; i < words.length; i++) {
                names.add(SnapshotNaming.PREFIX + words[0] + "_" + words[i]);
            }
        }
        return names.stream().sorted().toList();
    }

    static final Instant DAY_1 = local("2026-01-01T23:00");
    static final Instant DAY_10 = local("2026-01-10T23:00");
    static final Instant DAY_40 = local("2026-02-09T23:00");
    static final Instant DAY_88_SPRING_FORWARD = local("2026-03-29T23:00");
    static final Instant DAY_298_FALL_BACK = local("2026-10-25T23:00");
    static final Instant DAY_365 = local("2026-12-31T23:00");

    static final String MONTHLY_2026 = """
            monthly 2025-12-31T23:00:00Z 2026-01-31T23:00:00Z 2026-02-28T23:00:00Z
            monthly 2026-03-31T22:00:00Z 2026-04-30T22:00:00Z 2026-05-31T22:00:00Z 2026-06-30T22:00:00Z
            monthly 2026-07-31T22:00:00Z 2026-08-31T22:00:00Z 2026-09-30T22:00:00Z
            monthly 2026-10-31T23:00:00Z 2026-11-30T23:00:00Z
            """;

    @Test
    void defaultsSevenDailyFourWeeklyTwelveMonthly() {
        VirtualDataset ds = new VirtualDataset(BASE);
        Map<Instant, List<String>> at = run(ds, Duration.ofHours(1), DAY_1, DAY_10, DAY_40, DAY_365, END);

        // the first tick (Thursday) catches up the current weekly slot: Monday 29 December 2025
        assertEquals(table("""
                daily   2025-12-31T23:00:00Z
                weekly  2025-12-28T23:00:00Z
                monthly 2025-12-31T23:00:00Z
                """), at.get(DAY_1));
        assertEquals(table("""
                daily   2026-01-03T23:00:00Z 2026-01-04T23:00:00Z 2026-01-05T23:00:00Z 2026-01-06T23:00:00Z
                daily   2026-01-07T23:00:00Z 2026-01-08T23:00:00Z 2026-01-09T23:00:00Z
                weekly  2025-12-28T23:00:00Z 2026-01-04T23:00:00Z
                monthly 2025-12-31T23:00:00Z
                """), at.get(DAY_10)); // days 4..10; Mondays 29 Dec and 5 Jan
        assertEquals(table("""
                daily   2026-02-02T23:00:00Z 2026-02-03T23:00:00Z 2026-02-04T23:00:00Z 2026-02-05T23:00:00Z
                daily   2026-02-06T23:00:00Z 2026-02-07T23:00:00Z 2026-02-08T23:00:00Z
                weekly  2026-01-18T23:00:00Z 2026-01-25T23:00:00Z 2026-02-01T23:00:00Z 2026-02-08T23:00:00Z
                monthly 2025-12-31T23:00:00Z 2026-01-31T23:00:00Z
                """), at.get(DAY_40)); // 3..9 Feb; Mondays 19 Jan .. 9 Feb; 1 Jan and 1 Feb
        assertEquals(table("""
                daily   2026-12-24T23:00:00Z 2026-12-25T23:00:00Z 2026-12-26T23:00:00Z 2026-12-27T23:00:00Z
                daily   2026-12-28T23:00:00Z 2026-12-29T23:00:00Z 2026-12-30T23:00:00Z
                weekly  2026-12-06T23:00:00Z 2026-12-13T23:00:00Z 2026-12-20T23:00:00Z 2026-12-27T23:00:00Z
                """ + MONTHLY_2026), at.get(DAY_365)); // 25..31 Dec; Mondays 7..28 Dec; the 1st of every month
        assertEquals(table("""
                daily   2026-12-25T23:00:00Z 2026-12-26T23:00:00Z 2026-12-27T23:00:00Z 2026-12-28T23:00:00Z
                daily   2026-12-29T23:00:00Z 2026-12-30T23:00:00Z 2026-12-31T23:00:00Z
                weekly  2026-12-06T23:00:00Z 2026-12-13T23:00:00Z 2026-12-20T23:00:00Z 2026-12-27T23:00:00Z
                monthly 2026-01-31T23:00:00Z 2026-02-28T23:00:00Z
                monthly 2026-03-31T22:00:00Z 2026-04-30T22:00:00Z 2026-05-31T22:00:00Z 2026-06-30T22:00:00Z
                monthly 2026-07-31T22:00:00Z 2026-08-31T22:00:00Z 2026-09-30T22:00:00Z
                monthly 2026-10-31T23:00:00Z 2026-11-30T23:00:00Z 2026-12-31T23:00:00Z
                """), at.get(END)); // 1 Jan 2027 (a Friday): January 2026's monthly makes room for January 2027's

        assertEquals(Map.of(
                DAILY, 365 + 1,     // every day of 2026, and 1 Jan 2027
                WEEKLY, 1 + 52,     // the catch-up of Mon 29 Dec 2025, then the 52 Mondays of 2026 (5 Jan .. 28 Dec)
                MONTHLY, 12 + 1),   // the 1st of every month of 2026, and 1 Jan 2027
                ds.takenPerClass());
    }

    @Test
    void twentyFourHourlyAndSevenDailyAcrossBothDaylightSavingChanges() {
        VirtualDataset ds = new VirtualDataset(BASE.withOnlyKeep(Map.of(HOURLY, 24, DAILY, 7)));
        Map<Instant, List<String>> at = run(ds, Duration.ofHours(1),
                DAY_1, DAY_10, DAY_88_SPRING_FORWARD, DAY_298_FALL_BACK, DAY_365);

        assertEquals(table("""
                hourly 2025-12-31T23:00:00Z 2026-01-01T00:00:00Z 2026-01-01T01:00:00Z 2026-01-01T02:00:00Z
                hourly 2026-01-01T03:00:00Z 2026-01-01T04:00:00Z 2026-01-01T05:00:00Z 2026-01-01T06:00:00Z
                hourly 2026-01-01T07:00:00Z 2026-01-01T08:00:00Z 2026-01-01T09:00:00Z 2026-01-01T10:00:00Z
                hourly 2026-01-01T11:00:00Z 2026-01-01T12:00:00Z 2026-01-01T13:00:00Z 2026-01-01T14:00:00Z
                hourly 2026-01-01T15:00:00Z 2026-01-01T16:00:00Z 2026-01-01T17:00:00Z 2026-01-01T18:00:00Z
                hourly 2026-01-01T19:00:00Z 2026-01-01T20:00:00Z 2026-01-01T21:00:00Z 2026-01-01T22:00:00Z
                daily  2025-12-31T23:00:00Z
                """), at.get(DAY_1)); // 00:00 .. 23:00 CET on 1 January
        assertEquals(table("""
                hourly 2026-01-09T23:00:00Z 2026-01-10T00:00:00Z 2026-01-10T01:00:00Z 2026-01-10T02:00:00Z
                hourly 2026-01-10T03:00:00Z 2026-01-10T04:00:00Z 2026-01-10T05:00:00Z 2026-01-10T06:00:00Z
                hourly 2026-01-10T07:00:00Z 2026-01-10T08:00:00Z 2026-01-10T09:00:00Z 2026-01-10T10:00:00Z
                hourly 2026-01-10T11:00:00Z 2026-01-10T12:00:00Z 2026-01-10T13:00:00Z 2026-01-10T14:00:00Z
                hourly 2026-01-10T15:00:00Z 2026-01-10T16:00:00Z 2026-01-10T17:00:00Z 2026-01-10T18:00:00Z
                hourly 2026-01-10T19:00:00Z 2026-01-10T20:00:00Z 2026-01-10T21:00:00Z 2026-01-10T22:00:00Z
                daily  2026-01-03T23:00:00Z 2026-01-04T23:00:00Z 2026-01-05T23:00:00Z 2026-01-06T23:00:00Z
                daily  2026-01-07T23:00:00Z 2026-01-08T23:00:00Z 2026-01-09T23:00:00Z
                """), at.get(DAY_10));
        // 29 March has 23 hours (no 02:00): the newest 24 reach back to 23:00 CET on 28 March
        assertEquals(table("""
                hourly 2026-03-28T22:00:00Z 2026-03-28T23:00:00Z 2026-03-29T00:00:00Z 2026-03-29T01:00:00Z
                hourly 2026-03-29T02:00:00Z 2026-03-29T03:00:00Z 2026-03-29T04:00:00Z 2026-03-29T05:00:00Z
                hourly 2026-03-29T06:00:00Z 2026-03-29T07:00:00Z 2026-03-29T08:00:00Z 2026-03-29T09:00:00Z
                hourly 2026-03-29T10:00:00Z 2026-03-29T11:00:00Z 2026-03-29T12:00:00Z 2026-03-29T13:00:00Z
                hourly 2026-03-29T14:00:00Z 2026-03-29T15:00:00Z 2026-03-29T16:00:00Z 2026-03-29T17:00:00Z
                hourly 2026-03-29T18:00:00Z 2026-03-29T19:00:00Z 2026-03-29T20:00:00Z 2026-03-29T21:00:00Z
                daily  2026-03-22T23:00:00Z 2026-03-23T23:00:00Z 2026-03-24T23:00:00Z 2026-03-25T23:00:00Z
                daily  2026-03-26T23:00:00Z 2026-03-27T23:00:00Z 2026-03-28T23:00:00Z
                """), at.get(DAY_88_SPRING_FORWARD));
        // 25 October has 25 hours (02:00 twice: 00:00Z and 01:00Z): the newest 24 no longer reach its midnight
        assertEquals(table("""
                hourly 2026-10-24T23:00:00Z 2026-10-25T00:00:00Z 2026-10-25T01:00:00Z 2026-10-25T02:00:00Z
                hourly 2026-10-25T03:00:00Z 2026-10-25T04:00:00Z 2026-10-25T05:00:00Z 2026-10-25T06:00:00Z
                hourly 2026-10-25T07:00:00Z 2026-10-25T08:00:00Z 2026-10-25T09:00:00Z 2026-10-25T10:00:00Z
                hourly 2026-10-25T11:00:00Z 2026-10-25T12:00:00Z 2026-10-25T13:00:00Z 2026-10-25T14:00:00Z
                hourly 2026-10-25T15:00:00Z 2026-10-25T16:00:00Z 2026-10-25T17:00:00Z 2026-10-25T18:00:00Z
                hourly 2026-10-25T19:00:00Z 2026-10-25T20:00:00Z 2026-10-25T21:00:00Z 2026-10-25T22:00:00Z
                daily  2026-10-18T22:00:00Z 2026-10-19T22:00:00Z 2026-10-20T22:00:00Z 2026-10-21T22:00:00Z
                daily  2026-10-22T22:00:00Z 2026-10-23T22:00:00Z 2026-10-24T22:00:00Z
                """), at.get(DAY_298_FALL_BACK));
        assertEquals(table("""
                hourly 2026-12-30T23:00:00Z 2026-12-31T00:00:00Z 2026-12-31T01:00:00Z 2026-12-31T02:00:00Z
                hourly 2026-12-31T03:00:00Z 2026-12-31T04:00:00Z 2026-12-31T05:00:00Z 2026-12-31T06:00:00Z
                hourly 2026-12-31T07:00:00Z 2026-12-31T08:00:00Z 2026-12-31T09:00:00Z 2026-12-31T10:00:00Z
                hourly 2026-12-31T11:00:00Z 2026-12-31T12:00:00Z 2026-12-31T13:00:00Z 2026-12-31T14:00:00Z
                hourly 2026-12-31T15:00:00Z 2026-12-31T16:00:00Z 2026-12-31T17:00:00Z 2026-12-31T18:00:00Z
                hourly 2026-12-31T19:00:00Z 2026-12-31T20:00:00Z 2026-12-31T21:00:00Z 2026-12-31T22:00:00Z
                daily  2026-12-24T23:00:00Z 2026-12-25T23:00:00Z 2026-12-26T23:00:00Z 2026-12-27T23:00:00Z
                daily  2026-12-28T23:00:00Z 2026-12-29T23:00:00Z 2026-12-30T23:00:00Z
                """), at.get(DAY_365));

        assertEquals(Map.of(
                HOURLY, 8760 + 1,   // 365 × 24 hours of 2026 (the 23-hour and 25-hour days cancel out), and 1 Jan 2027 00:00
                DAILY, 365 + 1),
                ds.takenPerClass());
    }

    @Test
    void fourWeeklyTwelveMonthlyOneYearly() {
        VirtualDataset ds = new VirtualDataset(BASE.withOnlyKeep(Map.of(WEEKLY, 4, MONTHLY, 12, YEARLY, 1)));
        Map<Instant, List<String>> at = run(ds, Duration.ofHours(1), DAY_1, DAY_10, DAY_40, DAY_365, END);

        assertEquals(table("""
                weekly  2025-12-28T23:00:00Z
                monthly 2025-12-31T23:00:00Z
                yearly  2025-12-31T23:00:00Z
                """), at.get(DAY_1));
        assertEquals(table("""
                weekly  2025-12-28T23:00:00Z 2026-01-04T23:00:00Z
                monthly 2025-12-31T23:00:00Z
                yearly  2025-12-31T23:00:00Z
                """), at.get(DAY_10));
        assertEquals(table("""
                weekly  2026-01-18T23:00:00Z 2026-01-25T23:00:00Z 2026-02-01T23:00:00Z 2026-02-08T23:00:00Z
                monthly 2025-12-31T23:00:00Z 2026-01-31T23:00:00Z
                yearly  2025-12-31T23:00:00Z
                """), at.get(DAY_40));
        assertEquals(table("""
                weekly  2026-12-06T23:00:00Z 2026-12-13T23:00:00Z 2026-12-20T23:00:00Z 2026-12-27T23:00:00Z
                yearly  2025-12-31T23:00:00Z
                """ + MONTHLY_2026), at.get(DAY_365));
        assertEquals(table("""
                weekly  2026-12-06T23:00:00Z 2026-12-13T23:00:00Z 2026-12-20T23:00:00Z 2026-12-27T23:00:00Z
                monthly 2026-01-31T23:00:00Z 2026-02-28T23:00:00Z
                monthly 2026-03-31T22:00:00Z 2026-04-30T22:00:00Z 2026-05-31T22:00:00Z 2026-06-30T22:00:00Z
                monthly 2026-07-31T22:00:00Z 2026-08-31T22:00:00Z 2026-09-30T22:00:00Z
                monthly 2026-10-31T23:00:00Z 2026-11-30T23:00:00Z 2026-12-31T23:00:00Z
                yearly  2026-12-31T23:00:00Z
                """), at.get(END)); // keeping 1 yearly: 2027's replaces 2026's

        assertEquals(Map.of(WEEKLY, 1 + 52, MONTHLY, 12 + 1, YEARLY, 1 + 1), ds.takenPerClass());
    }

    @Test
    void everyFifteenMinutesKeepFourThroughTheRepeatedAndTheMissingHour() {
        VirtualDataset ds = new VirtualDataset(BASE.withOnlyKeep(Map.of(FREQUENTLY, 4)));
        Instant inRepeatedHour = OffsetDateTime.parse("2026-10-25T02:30+01:00").toInstant(); // the second 02:30
        Instant afterGap = local("2026-03-29T03:15");
        Map<Instant, List<String>> at = run(ds, Duration.ofMinutes(15),
                local("2026-01-01T23:45"), afterGap, inRepeatedHour, local("2026-12-31T23:45"));

        assertEquals(table("""
                frequently 2026-01-01T22:00:00Z 2026-01-01T22:15:00Z 2026-01-01T22:30:00Z 2026-01-01T22:45:00Z
                """), at.get(local("2026-01-01T23:45")));
        assertEquals(table("""
                frequently 2026-03-29T00:30:00Z 2026-03-29T00:45:00Z 2026-03-29T01:00:00Z 2026-03-29T01:15:00Z
                """), at.get(afterGap)); // 01:30 and 01:45 CET, then 03:00 and 03:15 CEST
        assertEquals(table("""
                frequently 2026-10-25T00:45:00Z 2026-10-25T01:00:00Z 2026-10-25T01:15:00Z 2026-10-25T01:30:00Z
                """), at.get(inRepeatedHour)); // 02:45 CEST, then 02:00, 02:15 and 02:30 CET
        assertEquals(table("""
                frequently 2026-12-31T22:00:00Z 2026-12-31T22:15:00Z 2026-12-31T22:30:00Z 2026-12-31T22:45:00Z
                """), at.get(local("2026-12-31T23:45")));

        assertEquals(Map.of(FREQUENTLY, 365 * 24 * 4 + 1), ds.takenPerClass()); // 35 040 quarters of 2026, and 1 Jan 2027
    }

    @Test
    void aControllerWakingOnlyHourlyTakesOneFrequentSnapshotPerHourNotFour() {
        VirtualDataset ds = new VirtualDataset(BASE.withOnlyKeep(Map.of(FREQUENTLY, 4)));
        Map<Instant, List<String>> at = run(ds, Duration.ofHours(1), DAY_1);
        assertEquals(table("""
                frequently 2026-01-01T19:00:00Z 2026-01-01T20:00:00Z 2026-01-01T21:00:00Z 2026-01-01T22:00:00Z
                """), at.get(DAY_1));
        assertEquals(Map.of(FREQUENTLY, 8760 + 1), ds.takenPerClass());
    }

    @Test
    void daysMissedWhileTheControllerWasDownAreNotInventedAfterwards() {
        VirtualDataset ds = new VirtualDataset(BASE);
        Instant down = local("2026-01-05T12:00");
        Instant back = local("2026-01-09T09:00");
        List<Instant> ticks = new ArrayList<>();
        for (Instant now = START; !now.isAfter(DAY_10); now = now.plus(Duration.ofHours(1))) {
            if (now.isBefore(down) || !now.isBefore(back)) {
                ticks.add(now);
            }
        }
        Map<Instant, List<String>> at = run(ds, ticks, DAY_10);
        assertEquals(table("""
                daily   2025-12-31T23:00:00Z 2026-01-01T23:00:00Z 2026-01-02T23:00:00Z 2026-01-03T23:00:00Z
                daily   2026-01-04T23:00:00Z 2026-01-08T23:00:00Z 2026-01-09T23:00:00Z
                weekly  2025-12-28T23:00:00Z 2026-01-04T23:00:00Z
                monthly 2025-12-31T23:00:00Z
                """), at.get(DAY_10)); // 1..5 Jan, then 9 Jan (one catch-up at 09:00) and 10 Jan; 6..8 Jan stay missing
    }

    @Test
    void aClockSteppedBackTakesNoSlotTwice() {
        VirtualDataset ds = new VirtualDataset(BASE.withOnlyKeep(Map.of(HOURLY, 24, DAILY, 7)));
        List<Instant> ticks = new ArrayList<>();
        for (Instant now = local("2026-06-09T20:00"); !now.isAfter(local("2026-06-10T00:30")); now = now.plusSeconds(1800)) {
            ticks.add(now);
        }
        // NTP steps the clock back two hours, then it runs on; every slot it passes again is already taken
        for (Instant now = local("2026-06-09T22:30"); !now.isAfter(local("2026-06-10T02:00")); now = now.plusSeconds(1800)) {
            ticks.add(now);
        }
        run(ds, ticks); // VirtualDataset fails on any slot taken twice
        assertEquals(Map.of(HOURLY, 7, DAILY, 2), ds.takenPerClass()); // 20:00 .. 02:00 CEST; 9 and 10 June
    }
}
