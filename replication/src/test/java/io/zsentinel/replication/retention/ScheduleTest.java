package io.zsentinel.replication.retention;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.zsentinel.replication.retention.SnapshotClass.DAILY;
import static io.zsentinel.replication.retention.SnapshotClass.FREQUENTLY;
import static io.zsentinel.replication.retention.SnapshotClass.HOURLY;
import static io.zsentinel.replication.retention.SnapshotClass.MONTHLY;
import static io.zsentinel.replication.retention.SnapshotClass.WEEKLY;
import static io.zsentinel.replication.retention.SnapshotClass.YEARLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Slots on the wall clock of Europe/Berlin: spring forward 29 Mar 2026 02:00→03:00, fall back 25 Oct 2026 03:00→02:00. */
class ScheduleTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final RetentionPolicy ALL_CLASSES = RetentionPolicy.defaults().withZone(BERLIN)
            .withOnlyKeep(Map.of(FREQUENTLY, 4, HOURLY, 24, DAILY, 7, WEEKLY, 4, MONTHLY, 12, YEARLY, 1));

    static Instant utc(String instant) {
        return Instant.parse(instant);
    }

    /** Every distinct slot of a class met by a clock that ticks each minute through [from, to). */
    static List<Instant> slotsSeen(RetentionPolicy policy, SnapshotClass klass, Instant from, Instant to) {
        Set<Instant> seen = new LinkedHashSet<>();
        Instant previous = Instant.MIN;
        for (Instant now = from; now.isBefore(to); now = now.plusSeconds(60)) {
            Instant slot = Schedule.currentSlot(policy, klass, now);
            assertFalse(slot.isAfter(now), "slot " + slot + " after now " + now);
            assertFalse(slot.isBefore(previous), "slot went backwards at " + now);
            previous = slot;
            seen.add(slot);
        }
        return new ArrayList<>(seen);
    }

    static Instant localMidnight(String date) {
        return LocalDate.parse(date).atStartOfDay(BERLIN).toInstant();
    }

    @Test
    void theFallBackDayHasTwentyFiveHourlySlotsAndTheRepeatedHourTwice() {
        List<Instant> hourly = slotsSeen(ALL_CLASSES, HOURLY, localMidnight("2026-10-25"), localMidnight("2026-10-26"));
        assertEquals(25, hourly.size());
        // 02:00 CEST and 02:00 CET: the same wall-clock hour, two distinct real hours
        assertEquals(utc("2026-10-25T00:00:00Z"), hourly.get(2));
        assertEquals(utc("2026-10-25T01:00:00Z"), hourly.get(3));
        assertEquals(utc("2026-10-25T02:00:00Z"), hourly.get(4)); // 03:00 CET
        for (int i = 1; i < hourly.size(); i++) {
            assertEquals(Duration.ofHours(1), Duration.between(hourly.get(i - 1), hourly.get(i)));
        }
    }

    @Test
    void theSpringForwardDayHasTwentyThreeHourlySlots() {
        List<Instant> hourly = slotsSeen(ALL_CLASSES, HOURLY, localMidnight("2026-03-29"), localMidnight("2026-03-30"));
        assertEquals(23, hourly.size());
        assertEquals(utc("2026-03-29T00:00:00Z"), hourly.get(1)); // 01:00 CET
        assertEquals(utc("2026-03-29T01:00:00Z"), hourly.get(2)); // 03:00 CEST: there is no 02:00
    }

    @Test
    void frequentSlotsFollowElapsedTimeThroughBothChanges() {
        assertEquals(23 * 4, slotsSeen(ALL_CLASSES, FREQUENTLY, localMidnight("2026-03-29"), localMidnight("2026-03-30")).size());
        assertEquals(25 * 4, slotsSeen(ALL_CLASSES, FREQUENTLY, localMidnight("2026-10-25"), localMidnight("2026-10-26")).size());
    }

    @Test
    void aFallBackDayHasOneDailySlotEvenWhenTheDailyTimeIsInTheRepeatedHour() {
        RetentionPolicy at0230 = ALL_CLASSES.withDailyAt(LocalTime.of(2, 30));
        List<Instant> daily = slotsSeen(at0230, DAILY, localMidnight("2026-10-25"), localMidnight("2026-10-26"));
        // 00:00-02:29 CEST still belongs to 24 October's slot; then 02:30 CEST (the first of the two 02:30s)
        assertEquals(List.of(utc("2026-10-24T00:30:00Z"), utc("2026-10-25T00:30:00Z")), daily);
    }

    @Test
    void aDailyTimeInTheSpringForwardGapMapsToTheFirstInstantAfterTheGap() {
        RetentionPolicy at0230 = ALL_CLASSES.withDailyAt(LocalTime.of(2, 30));
        // 02:30 does not exist on 29 March; the day's slot is 03:00 CEST (01:00Z), not 03:30 as ZonedDateTime.of would say
        assertEquals(utc("2026-03-29T01:00:00Z"), Schedule.currentSlot(at0230, DAILY, utc("2026-03-29T01:00:00Z")));
        assertEquals(utc("2026-03-28T01:30:00Z"), Schedule.currentSlot(at0230, DAILY, utc("2026-03-29T00:59:59Z")));
        assertEquals(utc("2026-03-30T00:30:00Z"), Schedule.currentSlot(at0230, DAILY, utc("2026-03-30T00:30:00Z")));
        assertEquals(3, slotsSeen(at0230, DAILY, localMidnight("2026-03-29"), localMidnight("2026-03-31")).size());
    }

    @Test
    void dayBasedClassesStartAtTheDailyTimeOnTheirDay() {
        Instant now = ZonedDateTime.of(LocalDateTime.parse("2026-11-25T10:17"), BERLIN).toInstant(); // a Wednesday
        assertEquals(utc("2026-11-25T09:15:00Z"), Schedule.currentSlot(ALL_CLASSES, FREQUENTLY, now)); // 10:15 CET
        assertEquals(utc("2026-11-25T09:00:00Z"), Schedule.currentSlot(ALL_CLASSES, HOURLY, now));
        assertEquals(utc("2026-11-24T23:00:00Z"), Schedule.currentSlot(ALL_CLASSES, DAILY, now));
        assertEquals(utc("2026-11-22T23:00:00Z"), Schedule.currentSlot(ALL_CLASSES, WEEKLY, now)); // Monday 23 Nov
        assertEquals(utc("2026-10-31T23:00:00Z"), Schedule.currentSlot(ALL_CLASSES, MONTHLY, now)); // 1 Nov
        assertEquals(utc("2025-12-31T23:00:00Z"), Schedule.currentSlot(ALL_CLASSES, YEARLY, now)); // 1 Jan

        RetentionPolicy late = ALL_CLASSES.withDailyAt(LocalTime.of(18, 0)).withWeeklyOn(DayOfWeek.WEDNESDAY)
                .withMonthlyOnDay(25).withYearlyOn(MonthDay.of(11, 25));
        // before 18:00 on the day itself, the previous occurrence is current
        assertEquals(utc("2026-11-24T17:00:00Z"), Schedule.currentSlot(late, DAILY, now));
        assertEquals(utc("2026-11-18T17:00:00Z"), Schedule.currentSlot(late, WEEKLY, now));
        assertEquals(utc("2026-10-25T17:00:00Z"), Schedule.currentSlot(late, MONTHLY, now)); // 18:00 CET after fall-back
        assertEquals(utc("2025-11-25T17:00:00Z"), Schedule.currentSlot(late, YEARLY, now));
        assertEquals(utc("2026-11-25T17:00:00Z"), Schedule.currentSlot(late, YEARLY, utc("2026-11-25T17:00:00Z")));
    }

    @Test
    void midnightOfTheFirstOfJanuaryIsDueForEveryDayBasedClassEachWithItsOwnName() {
        Instant newYear = utc("2026-12-31T23:00:00Z"); // 2027-01-01 00:00 CET, a Friday
        Map<SnapshotClass, Instant> taken = new EnumMap<>(SnapshotClass.class);
        for (SnapshotClass c : SnapshotClass.values()) {
            taken.put(c, Schedule.currentSlot(ALL_CLASSES, c, newYear.minusSeconds(1)));
        }
        List<SnapshotSlot> due = Schedule.due(ALL_CLASSES, newYear, taken);
        assertEquals(List.of(new SnapshotSlot(FREQUENTLY, newYear), new SnapshotSlot(HOURLY, newYear),
                new SnapshotSlot(DAILY, newYear), new SnapshotSlot(MONTHLY, newYear), new SnapshotSlot(YEARLY, newYear)), due);
        assertEquals(List.of("zsentinel_frequently_2026-12-31T23:00:00Z", "zsentinel_hourly_2026-12-31T23:00:00Z",
                "zsentinel_daily_2026-12-31T23:00:00Z", "zsentinel_monthly_2026-12-31T23:00:00Z",
                "zsentinel_yearly_2026-12-31T23:00:00Z"), due.stream().map(SnapshotSlot::shortName).toList());
    }

    @Test
    void aControllerDownForThreeDaysCatchesUpOneDailyNotThree() {
        RetentionPolicy daily = ALL_CLASSES.withOnlyKeep(Map.of(DAILY, 7));
        Map<SnapshotClass, Instant> taken = new EnumMap<>(Map.of(DAILY, utc("2026-11-20T23:00:00Z"))); // 21 Nov
        Instant back = utc("2026-11-24T09:41:00Z"); // 24 Nov 10:41 CET: slots of 22, 23 and 24 Nov were missed
        assertEquals(List.of(new SnapshotSlot(DAILY, utc("2026-11-23T23:00:00Z"))), Schedule.due(daily, back, taken));
        taken.put(DAILY, utc("2026-11-23T23:00:00Z"));
        assertEquals(List.of(), Schedule.due(daily, back.plusSeconds(60), taken));
        assertEquals(List.of(), Schedule.due(daily, utc("2026-11-24T22:59:59Z"), taken));
        assertEquals(List.of(new SnapshotSlot(DAILY, utc("2026-11-24T23:00:00Z"))),
                Schedule.due(daily, utc("2026-11-24T23:00:00Z"), taken));
    }

    @Test
    void aFirstRunTakesTheCurrentSlotOfEachClass() {
        Instant now = utc("2026-11-25T09:17:00Z");
        assertEquals(List.of(new SnapshotSlot(DAILY, utc("2026-11-24T23:00:00Z")),
                        new SnapshotSlot(WEEKLY, utc("2026-11-22T23:00:00Z")),
                        new SnapshotSlot(MONTHLY, utc("2026-10-31T23:00:00Z"))),
                Schedule.due(RetentionPolicy.defaults().withZone(BERLIN), now, Map.of()));
    }

    @Test
    void aClockSteppedBackBeforeTheLastTakenSlotMakesNothingDue() {
        RetentionPolicy hourly = ALL_CLASSES.withOnlyKeep(Map.of(HOURLY, 24, DAILY, 7));
        Map<SnapshotClass, Instant> taken = Map.of(HOURLY, utc("2026-11-25T10:00:00Z"), DAILY, utc("2026-11-24T23:00:00Z"));
        assertEquals(List.of(), Schedule.due(hourly, utc("2026-11-25T09:59:58Z"), taken)); // stepped back 3 s
        assertEquals(List.of(), Schedule.due(hourly, utc("2026-11-24T12:00:00Z"), taken)); // stepped back a day
        assertEquals(List.of(), Schedule.due(hourly, utc("2026-11-25T10:00:30Z"), taken)); // back to normal
        assertEquals(List.of(new SnapshotSlot(HOURLY, utc("2026-11-25T11:00:00Z"))),
                Schedule.due(hourly, utc("2026-11-25T11:00:00Z"), taken));
    }

    @Test
    void aClassThatIsOffIsNeverDue() {
        assertTrue(Schedule.due(ALL_CLASSES.withOnlyKeep(Map.of()), utc("2026-11-25T10:00:00Z"), Map.of()).isEmpty());
    }

    @Test
    void lastTakenSlotsComeFromTheNamesOfZsentinelSnapshots() {
        List<RetainedSnapshot> snaps = List.of(
                Snapshots.snap("zsentinel_daily_2026-11-23T23:00:00Z", 1, 10),
                Snapshots.snap("zsentinel_daily_2026-11-24T23:00:00Z", 2, 9),
                Snapshots.snap("before-upgrade", 3, 11));
        assertEquals(Map.of(DAILY, utc("2026-11-24T23:00:00Z")), Schedule.lastTakenSlots(snaps));
    }

    /** In zones with odd offsets and transitions the slots never pass now, never go back, and days stay days. */
    @Test
    void slotsAreMonotonicAndOnePerDayInAwkwardZones() {
        for (String zone : new String[] {"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
                "America/Santiago", "Pacific/Apia"}) {
            ZoneId z = ZoneId.of(zone);
            RetentionPolicy p = ALL_CLASSES.withZone(z).withFrequentlyEvery(Duration.ofMinutes(30));
            Instant from = LocalDate.of(2011, 1, 1).atStartOfDay(z).toInstant();
            Instant to = LocalDate.of(2012, 1, 1).atStartOfDay(z).toInstant();
            Map<SnapshotClass, Instant> previous = new EnumMap<>(SnapshotClass.class);
            Map<SnapshotClass, Integer> distinct = new EnumMap<>(SnapshotClass.class);
            for (Instant now = from; now.isBefore(to); now = now.plusSeconds(600)) {
                for (SnapshotClass c : SnapshotClass.values()) {
                    Instant slot = Schedule.currentSlot(p, c, now);
                    assertFalse(slot.isAfter(now), zone + " " + c + " slot after now at " + now);
                    Instant before = previous.put(c, slot);
                    assertTrue(before == null || !slot.isBefore(before), zone + " " + c + " went back at " + now);
                    if (!slot.equals(before)) {
                        distinct.merge(c, 1, Integer::sum);
                    }
                }
            }
            long days = ChronoUnit.DAYS.between(LocalDate.of(2011, 1, 1), LocalDate.of(2012, 1, 1));
            // Samoa skipped 30 December 2011 entirely: its midnight is the same instant as 31 December's
            assertEquals(zone.equals("Pacific/Apia") ? days - 1 : days, (long) distinct.get(DAILY), zone);
            assertEquals(12, (int) distinct.get(MONTHLY), zone);
            assertEquals(1, (int) distinct.get(YEARLY), zone);
        }
    }
}
