package io.zsentinel.replication.retention;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import static io.zsentinel.replication.retention.SnapshotClass.DAILY;
import static io.zsentinel.replication.retention.SnapshotClass.FREQUENTLY;
import static io.zsentinel.replication.retention.SnapshotClass.HOURLY;
import static io.zsentinel.replication.retention.SnapshotClass.MONTHLY;
import static io.zsentinel.replication.retention.SnapshotClass.WEEKLY;
import static io.zsentinel.replication.retention.SnapshotClass.YEARLY;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionPolicyTest {
    static final RetentionPolicy DEFAULTS = RetentionPolicy.defaults();

    @Test
    void defaultsKeepSevenDailyFourWeeklyTwelveMonthlyAndPruneOverSeventyPercent() {
        assertEquals(Map.of(FREQUENTLY, 0, HOURLY, 0, DAILY, 7, WEEKLY, 4, MONTHLY, 12, YEARLY, 0), DEFAULTS.keep());
        assertEquals(ZoneOffset.UTC, DEFAULTS.zone());
        assertEquals(Duration.ofMinutes(15), DEFAULTS.frequentlyEvery());
        assertEquals(LocalTime.MIDNIGHT, DEFAULTS.dailyAt());
        assertEquals(DayOfWeek.MONDAY, DEFAULTS.weeklyOn());
        assertEquals(1, DEFAULTS.monthlyOnDay());
        assertEquals(MonthDay.of(1, 1), DEFAULTS.yearlyOn());
        assertEquals(70, DEFAULTS.usageThresholdPercent());
        assertFalse(DEFAULTS.pruneForeignSnapshots(), "snapshots zsentinel did not take are never pruned by default");
    }

    @Test
    void aClassLeftOutOfTheCountsIsOff() {
        RetentionPolicy p = DEFAULTS.withOnlyKeep(Map.of(HOURLY, 24));
        assertEquals(24, p.keep(HOURLY));
        assertEquals(0, p.keep(DAILY));
        assertFalse(p.isOn(DAILY));
        assertTrue(p.isOn(HOURLY));
    }

    @Test
    void theCountsCannotBeChangedFromOutside() {
        Map<SnapshotClass, Integer> counts = new HashMap<>(Map.of(DAILY, 3));
        RetentionPolicy p = DEFAULTS.withOnlyKeep(counts);
        counts.put(DAILY, 99);
        assertEquals(3, p.keep(DAILY));
        assertThrows(UnsupportedOperationException.class, () -> p.keep().put(DAILY, 1));
    }

    @Test
    void aNegativeCountIsRefusedNamingTheClass() {
        refused("keep.weekly must be 0 or more (0 switches the class off), was -1", () -> DEFAULTS.withKeep(WEEKLY, -1));
        Map<SnapshotClass, Integer> nullCount = new HashMap<>();
        nullCount.put(DAILY, null);
        refused("keep.daily must be 0 or more (0 switches the class off), was null", () -> DEFAULTS.withOnlyKeep(nullCount));
    }

    @Test
    void anUnknownClassIsRefusedListingTheKnownOnes() {
        refused("unknown snapshot class \"biweekly\": known classes are frequently, hourly, daily, weekly, monthly, yearly",
                () -> SnapshotClass.parse("biweekly"));
        refused("unknown snapshot class \"Daily\": known classes are frequently, hourly, daily, weekly, monthly, yearly",
                () -> SnapshotClass.parse("Daily"));
        assertEquals(DAILY, SnapshotClass.parse("daily"));
        for (SnapshotClass c : SnapshotClass.values()) {
            assertEquals(c, SnapshotClass.parse(c.configName()));
        }
    }

    @Test
    void theUsageThresholdIsOneToNinetyNinePercent() {
        refused("usageThresholdPercent must be between 1 and 99 (percent of pool capacity), was 0",
                () -> DEFAULTS.withUsageThresholdPercent(0));
        refused("usageThresholdPercent must be between 1 and 99 (percent of pool capacity), was 100",
                () -> DEFAULTS.withUsageThresholdPercent(100));
        assertDoesNotThrow(() -> DEFAULTS.withUsageThresholdPercent(1));
        assertDoesNotThrow(() -> DEFAULTS.withUsageThresholdPercent(99));
    }

    @Test
    void frequentlyEveryMustDivideAnHourOrADay() {
        String must = "frequentlyEvery must be a whole number of minutes that divides an hour or a day evenly"
                + " (such as 5, 10, 15, 30, 60, 120 or 240 minutes), was ";
        refused(must + "7 minutes", () -> DEFAULTS.withFrequentlyEvery(Duration.ofMinutes(7)));
        refused(must + "0 minutes", () -> DEFAULTS.withFrequentlyEvery(Duration.ZERO));
        refused(must + "-15 minutes", () -> DEFAULTS.withFrequentlyEvery(Duration.ofMinutes(-15)));
        refused(must + "PT1M30S", () -> DEFAULTS.withFrequentlyEvery(Duration.ofSeconds(90)));
        refused(must + "2880 minutes", () -> DEFAULTS.withFrequentlyEvery(Duration.ofDays(2)));
        for (int minutes : new int[] {1, 5, 10, 15, 20, 30, 45, 60, 90, 120, 240, 480, 1440}) {
            assertDoesNotThrow(() -> DEFAULTS.withFrequentlyEvery(Duration.ofMinutes(minutes)));
        }
    }

    @Test
    void theMonthlyDayExistsInEveryMonthAndTheYearlyDayInEveryYear() {
        refused("monthlyOnDay must be between 1 and 28 (a day every month has), was 29", () -> DEFAULTS.withMonthlyOnDay(29));
        refused("monthlyOnDay must be between 1 and 28 (a day every month has), was 0", () -> DEFAULTS.withMonthlyOnDay(0));
        refused("yearlyOn must be a day every year has, was --02-29 (February 29)",
                () -> DEFAULTS.withYearlyOn(MonthDay.of(2, 29)));
        assertDoesNotThrow(() -> DEFAULTS.withMonthlyOnDay(28).withYearlyOn(MonthDay.of(12, 31)));
    }

    @Test
    void theDailyTimeIsAWholeMinute() {
        refused("dailyAt must be a whole minute (HH:MM), was 00:00:30", () -> DEFAULTS.withDailyAt(LocalTime.of(0, 0, 30)));
        assertDoesNotThrow(() -> DEFAULTS.withDailyAt(LocalTime.of(23, 59)));
    }

    @Test
    void missingFieldsAreRefusedByName() {
        refused("zone is required", () -> DEFAULTS.withZone(null));
        refused("dailyAt is required", () -> DEFAULTS.withDailyAt(null));
        refused("weeklyOn is required", () -> DEFAULTS.withWeeklyOn(null));
        refused("keep is required", () -> DEFAULTS.withOnlyKeep(null));
        assertEquals(ZoneId.of("Europe/Berlin"), DEFAULTS.withZone(ZoneId.of("Europe/Berlin")).zone());
    }

    private static void refused(String message, Supplier<Object> build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertEquals(message, e.getMessage());
    }
}
