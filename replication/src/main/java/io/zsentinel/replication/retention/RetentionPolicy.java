package io.zsentinel.replication.retention;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What to keep of one dataset and when to take it. Slots are read on the wall clock of {@code zone};
 * weekly, monthly and yearly snapshots are taken at {@code dailyAt} on their day, so they coincide
 * with a daily one. Classes absent from {@code keep} keep 0 (switched off). Each refusal names the field
 * and the allowed range; the YAML loader prefixes the file and line.
 */
public record RetentionPolicy(Map<SnapshotClass, Integer> keep, ZoneId zone, Duration frequentlyEvery,
                              LocalTime dailyAt, DayOfWeek weeklyOn, int monthlyOnDay, MonthDay yearlyOn,
                              int usageThresholdPercent, boolean pruneForeignSnapshots, boolean receiveOnly,
                              int maxHeldForReplicas, int maxHeldForReplicasDays) {

    public static final Duration DEFAULT_FREQUENTLY_EVERY = Duration.ofMinutes(15);
    public static final int DEFAULT_USAGE_THRESHOLD_PERCENT = 70;
    /** Snapshots kept beyond the counts for targets that have not received them, before the oldest go anyway. */
    public static final int DEFAULT_MAX_HELD_FOR_REPLICAS = 50;
    public static final int MAX_HELD_FOR_REPLICAS_LIMIT = 100_000;
    public static final int MAX_HELD_FOR_REPLICAS_DAYS_LIMIT = 3650;
    private static final long MINUTES_PER_DAY = Duration.ofDays(1).toMinutes();

    public RetentionPolicy {
        keep = checkedCounts(keep);
        required(zone, "zone");
        required(frequentlyEvery, "frequentlyEvery");
        required(dailyAt, "dailyAt");
        required(weeklyOn, "weeklyOn");
        required(yearlyOn, "yearlyOn");
        if (frequentlyEvery.isNegative() || frequentlyEvery.isZero()
                || frequentlyEvery.toSecondsPart() != 0 || frequentlyEvery.toNanosPart() != 0
                || frequentlyEvery.toMinutes() > MINUTES_PER_DAY || MINUTES_PER_DAY % frequentlyEvery.toMinutes() != 0) {
            throw new IllegalArgumentException("frequentlyEvery must be a whole number of minutes that divides an hour"
                    + " or a day evenly (such as 5, 10, 15, 30, 60, 120 or 240 minutes), was " + describe(frequentlyEvery));
        }
        if (dailyAt.getSecond() != 0 || dailyAt.getNano() != 0) {
            throw new IllegalArgumentException("dailyAt must be a whole minute (HH:MM), was " + dailyAt);
        }
        if (monthlyOnDay < 1 || monthlyOnDay > 28) {
            throw new IllegalArgumentException("monthlyOnDay must be between 1 and 28 (a day every month has), was "
                    + monthlyOnDay);
        }
        if (yearlyOn.equals(MonthDay.of(Month.FEBRUARY, 29))) {
            throw new IllegalArgumentException("yearlyOn must be a day every year has, was --02-29 (February 29)");
        }
        if (maxHeldForReplicas == 0) {
            maxHeldForReplicas = DEFAULT_MAX_HELD_FOR_REPLICAS; // unset: policies stored before the bound existed
        }
        if (maxHeldForReplicas < 1 || maxHeldForReplicas > MAX_HELD_FOR_REPLICAS_LIMIT) {
            throw new IllegalArgumentException("maxHeldForReplicas must be between 1 and " + MAX_HELD_FOR_REPLICAS_LIMIT
                    + " (snapshots kept beyond the counts for replication targets that have not received them), was "
                    + maxHeldForReplicas);
        }
        if (maxHeldForReplicasDays < 0 || maxHeldForReplicasDays > MAX_HELD_FOR_REPLICAS_DAYS_LIMIT) {
            throw new IllegalArgumentException("maxHeldForReplicasDays must be between 1 and "
                    + MAX_HELD_FOR_REPLICAS_DAYS_LIMIT + " (days an expired snapshot may be kept for replication targets"
                    + " that have not received it), or absent for no age limit, was " + maxHeldForReplicasDays);
        }
        if (usageThresholdPercent < 1 || usageThresholdPercent > 99) {
            throw new IllegalArgumentException("usageThresholdPercent must be between 1 and 99 (percent of pool"
                    + " capacity), was " + usageThresholdPercent);
        }
    }

    /** 7 daily, 4 weekly, 12 monthly; daily at 00:00 UTC, weekly on Monday, monthly on the 1st; prune over 70%. */
    public static RetentionPolicy defaults() {
        Map<SnapshotClass, Integer> keep = new EnumMap<>(SnapshotClass.class);
        keep.put(SnapshotClass.DAILY, 7);
        keep.put(SnapshotClass.WEEKLY, 4);
        keep.put(SnapshotClass.MONTHLY, 12);
        return new RetentionPolicy(keep, ZoneOffset.UTC, DEFAULT_FREQUENTLY_EVERY, LocalTime.MIDNIGHT,
                DayOfWeek.MONDAY, 1, MonthDay.of(Month.JANUARY, 1), DEFAULT_USAGE_THRESHOLD_PERCENT, false, false,
                DEFAULT_MAX_HELD_FOR_REPLICAS, 0);
    }

    /** How many snapshots of this class to keep; 0 means the class is off. */
    public int keep(SnapshotClass klass) {
        return keep.get(klass);
    }

    public boolean isOn(SnapshotClass klass) {
        return keep(klass) > 0;
    }

    public RetentionPolicy withKeep(SnapshotClass klass, int count) {
        Map<SnapshotClass, Integer> copy = new EnumMap<>(keep);
        copy.put(klass, count);
        return new RetentionPolicy(copy, zone, frequentlyEvery, dailyAt, weeklyOn, monthlyOnDay, yearlyOn,
                usageThresholdPercent, pruneForeignSnapshots, receiveOnly, maxHeldForReplicas,
                maxHeldForReplicasDays);
    }

    /** The same schedule with exactly these counts (all other classes off). */
    public RetentionPolicy withOnlyKeep(Map<SnapshotClass, Integer> counts) {
        return new RetentionPolicy(counts, zone, frequentlyEvery, dailyAt, weeklyOn, monthlyOnDay, yearlyOn,
                usageThresholdPercent, pruneForeignSnapshots, receiveOnly, maxHeldForReplicas,
                maxHeldForReplicasDays);
    }

    public RetentionPolicy withZone(ZoneId z) {
        return new RetentionPolicy(keep, z, frequentlyEvery, dailyAt, weeklyOn, monthlyOnDay, yearlyOn,
                usageThresholdPercent, pruneForeignSnapshots, receiveOnly, maxHeldForReplicas,
                maxHeldForReplicasDays);
    }

    public RetentionPolicy withFrequentlyEvery(Duration every) {
        return new RetentionPolicy(keep, zone, every, dailyAt, weeklyOn, monthlyOnDay, yearlyOn,
                usageThresholdPercent, pruneForeignSnapshots, receiveOnly, maxHeldForReplicas,
                maxHeldForReplicasDays);
    }

    public RetentionPolicy withDailyAt(LocalTime at) {
        return new RetentionPolicy(keep, zone, frequentlyEvery, at, weeklyOn, monthlyOnDay, yearlyOn,
                usageThresholdPercent, pruneForeignSnapshots, receiveOnly, maxHeldForReplicas,
                maxHeldForReplicasDays);
    }

    public RetentionPolicy withWeeklyOn(DayOfWeek day) {
        return new RetentionPolicy(keep, zone, frequentlyEvery, dailyAt, day, monthlyOnDay, yearlyOn,
                usageThresholdPercent, pruneForeignSnapshots, receiveOnly, maxHeldForReplicas,
                maxHeldForReplicasDays);
    }

    public RetentionPolicy withMonthlyOnDay(int day) {
        return new RetentionPolicy(keep, zone, frequentlyEvery, dailyAt, weeklyOn, day, yearlyOn,
                usageThresholdPercent, pruneForeignSnapshots, receiveOnly, maxHeldForReplicas,
                maxHeldForReplicasDays);
    }

    public RetentionPolicy withYearlyOn(MonthDay day) {
        return new RetentionPolicy(keep, zone, frequentlyEvery, dailyAt, weeklyOn, monthlyOnDay, day,
                usageThresholdPercent, pruneForeignSnapshots, receiveOnly, maxHeldForReplicas,
                maxHeldForReplicasDays);
    }

    public RetentionPolicy withUsageThresholdPercent(int percent) {
        return new RetentionPolicy(keep, zone, frequentlyEvery, dailyAt, weeklyOn, monthlyOnDay, yearlyOn,
                percent, pruneForeignSnapshots, receiveOnly, maxHeldForReplicas,
                maxHeldForReplicasDays);
    }

    public RetentionPolicy withPruneForeignSnapshots(boolean prune) {
        return new RetentionPolicy(keep, zone, frequentlyEvery, dailyAt, weeklyOn, monthlyOnDay, yearlyOn,
                usageThresholdPercent, prune, receiveOnly, maxHeldForReplicas,
                maxHeldForReplicasDays);
    }

    /**
     * For a replica (a replication link's target): it takes no snapshot of its own (it would diverge from
     * its source); its received snapshots expire by the counts and the usage threshold, never its newest.
     */
    public RetentionPolicy withReceiveOnly(boolean receive) {
        return new RetentionPolicy(keep, zone, frequentlyEvery, dailyAt, weeklyOn, monthlyOnDay, yearlyOn,
                usageThresholdPercent, pruneForeignSnapshots, receive, maxHeldForReplicas,
                maxHeldForReplicasDays);
    }

    /**
     * At most this many snapshots are kept beyond the counts because a replication target has not received
     * them (a diverged, paused or failing link); past it the oldest of them expire anyway, and that target
     * skips them (its next transfer goes from its common base, which is never pruned).
     */
    public RetentionPolicy withMaxHeldForReplicas(int count) {
        return new RetentionPolicy(keep, zone, frequentlyEvery, dailyAt, weeklyOn, monthlyOnDay, yearlyOn,
                usageThresholdPercent, pruneForeignSnapshots, receiveOnly, count, maxHeldForReplicasDays);
    }

    /**
     * An expired snapshot kept for replication targets longer than this many days (counted from when it went
     * past its class's count) expires anyway; 0: no age limit (only {@link #maxHeldForReplicas()}).
     */
    public RetentionPolicy withMaxHeldForReplicasDays(int days) {
        return new RetentionPolicy(keep, zone, frequentlyEvery, dailyAt, weeklyOn, monthlyOnDay, yearlyOn,
                usageThresholdPercent, pruneForeignSnapshots, receiveOnly, maxHeldForReplicas, days);
    }

    private static Map<SnapshotClass, Integer> checkedCounts(Map<SnapshotClass, Integer> keep) {
        required(keep, "keep");
        Map<SnapshotClass, Integer> counts = new EnumMap<>(SnapshotClass.class);
        for (SnapshotClass c : SnapshotClass.values()) {
            counts.put(c, 0);
        }
        keep.forEach((klass, count) -> {
            if (klass == null) {
                throw new IllegalArgumentException("keep names no snapshot class (null); known classes are"
                        + " frequently, hourly, daily, weekly, monthly, yearly");
            }
            if (count == null || count < 0) {
                throw new IllegalArgumentException("keep." + klass.configName() + " must be 0 or more"
                        + " (0 switches the class off), was " + count);
            }
            counts.put(klass, count);
        });
        return Collections.unmodifiableMap(counts);
    }

    private static void required(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    private static String describe(Duration d) {
        return d.toSecondsPart() == 0 && d.toNanosPart() == 0 ? d.toMinutes() + " minutes" : d.toString();
    }
}
