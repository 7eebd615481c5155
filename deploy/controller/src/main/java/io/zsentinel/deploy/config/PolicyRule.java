package io.zsentinel.deploy.config;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One retention policy of controller.yaml, for the datasets whose name matches {@code match}
 * ({@code *} any characters but '/', {@code **} anything, {@code ?} one character) on
 * {@code server} (any server when absent). Omitted settings take {@link RetentionPolicy#defaults()}:
 * <pre>
 * - match: "primary/vm*"
 *   keep: { hourly: 24, daily: 7, weekly: 4, monthly: 12 }
 *   zone: Europe/Berlin
 *   dailyAt: "00:00"
 *   weeklyOn: monday
 *   usageThresholdPercent: 70
 *   maxHeldForReplicas: 50
 *   maxHeldForReplicasDays: 14
 * </pre>
 * {@code maxHeldForReplicas}: how many expired snapshots may be kept because a replication target has not
 * received them (a diverged, paused or failing link); past it the oldest of them expire anyway.
 * {@code maxHeldForReplicasDays} (optional, no age limit when absent): how long one may be kept so.
 */
public record PolicyRule(String match, String server, Map<String, Integer> keep, String zone, String frequentlyEvery,
                         String dailyAt, String weeklyOn, Integer monthlyOnDay, String yearlyOn,
                         Integer usageThresholdPercent, Boolean pruneForeignSnapshots, Integer maxHeldForReplicas,
                         Integer maxHeldForReplicasDays) {
    public PolicyRule {
        if (match == null || match.isBlank()) {
            throw new IllegalArgumentException("match is required: a dataset name or pattern such as primary/vm*");
        }
        if (server != null) {
            new ServerId(server);
        }
        if (maxHeldForReplicas != null && maxHeldForReplicas < 1) {
            throw new IllegalArgumentException("maxHeldForReplicas must be at least 1 (expired snapshots kept for"
                    + " replication targets that have not received them; a link's common base is always kept), was "
                    + maxHeldForReplicas);
        }
        if (maxHeldForReplicasDays != null && maxHeldForReplicasDays < 1) {
            throw new IllegalArgumentException("maxHeldForReplicasDays must be at least 1 (leave it out for no age"
                    + " limit), was " + maxHeldForReplicasDays);
        }
        policy(match, keep, zone, frequentlyEvery, dailyAt, weeklyOn, monthlyOnDay, yearlyOn, usageThresholdPercent,
                pruneForeignSnapshots, maxHeldForReplicas, maxHeldForReplicasDays); // refuse a bad policy at load time, with the file and line
    }

    public RetentionPolicy policy() {
        return policy(match, keep, zone, frequentlyEvery, dailyAt, weeklyOn, monthlyOnDay, yearlyOn,
                usageThresholdPercent, pruneForeignSnapshots, maxHeldForReplicas, maxHeldForReplicasDays);
    }

    public boolean matches(ServerId onServer, DatasetName dataset) {
        return (server == null || server.equals(onServer.value())) && glob(match).matcher(dataset.value()).matches();
    }

    private static RetentionPolicy policy(String match, Map<String, Integer> keep, String zone, String frequentlyEvery,
                                          String dailyAt, String weeklyOn, Integer monthlyOnDay, String yearlyOn,
                                          Integer usageThresholdPercent, Boolean pruneForeignSnapshots,
                                          Integer maxHeldForReplicas, Integer maxHeldForReplicasDays) {
        RetentionPolicy p = RetentionPolicy.defaults();
        if (keep != null) {
            Map<SnapshotClass, Integer> counts = new EnumMap<>(SnapshotClass.class);
            keep.forEach((name, count) -> {
                if (count == null) {
                    throw new IllegalArgumentException("keep." + name + " needs a number");
                }
                counts.put(SnapshotClass.parse(name), count);
            });
            p = p.withOnlyKeep(counts);
        }
        try {
            if (zone != null) {
                p = p.withZone(ZoneId.of(zone));
            }
            if (frequentlyEvery != null) {
                p = p.withFrequentlyEvery(duration(frequentlyEvery));
            }
            if (dailyAt != null) {
                p = p.withDailyAt(LocalTime.parse(dailyAt));
            }
            if (weeklyOn != null) {
                p = p.withWeeklyOn(dayOfWeek(weeklyOn));
            }
            if (yearlyOn != null) {
                p = p.withYearlyOn(MonthDay.parse("--" + yearlyOn));
            }
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("policy for " + match + ": " + e.getMessage()
                    + " (zone like Europe/Berlin, times like 00:30, yearlyOn like 01-01, frequentlyEvery like 15m)", e);
        }
        if (monthlyOnDay != null) {
            p = p.withMonthlyOnDay(monthlyOnDay);
        }
        if (usageThresholdPercent != null) {
            p = p.withUsageThresholdPercent(usageThresholdPercent);
        }
        if (pruneForeignSnapshots != null) {
            p = p.withPruneForeignSnapshots(pruneForeignSnapshots);
        }
        if (maxHeldForReplicas != null) {
            p = p.withMaxHeldForReplicas(maxHeldForReplicas);
        }
        if (maxHeldForReplicasDays != null) {
            p = p.withMaxHeldForReplicasDays(maxHeldForReplicasDays);
        }
        return p;
    }

    private static DayOfWeek dayOfWeek(String name) {
        try {
            return DayOfWeek.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("weeklyOn \"" + name + "\" is not a day of the week (monday … sunday)");
        }
    }

    /** {@code 15m}, {@code 1h}, {@code 30s}, or ISO-8601 ({@code PT15M}). */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("unknown unit");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("frequentlyEvery \"" + text + "\" is not a duration such as 15m or 1h");
        }
    }

    static Pattern glob(String glob) {
        return io.zsentinel.core.values.DatasetGlob.of(glob).pattern();
    }
}
