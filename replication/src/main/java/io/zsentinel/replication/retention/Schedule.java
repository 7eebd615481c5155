package io.zsentinel.replication.retention;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When snapshots are due. Slots are laid out on the local wall clock of the policy's zone, then
 * turned into instants, so that daylight saving never makes a burst and never skips a day:
 * <ul>
 * <li>A local time inside a spring-forward gap (02:30 on 29 March 2026 in Berlin) maps to the first
 *     valid instant after the gap (03:00 CEST), not to 03:30 as {@code ZonedDateTime.of} would.</li>
 * <li>Daily and coarser slots fall in a repeated (fall-back) hour at its first occurrence: one daily
 *     snapshot per day, always.</li>
 * <li>Hourly and frequent slots are counted in elapsed time: the repeated hour is a second, distinct
 *     hour (25 hourly slots on a fall-back day, 23 on a spring-forward day), never the same instant twice.</li>
 * </ul>
 * Several classes may share an instant (midnight of 1 January is yearly, monthly and daily): each
 * class gets its own snapshot, as sanoid does, since the names differ by class.
 */
public final class Schedule {
    private Schedule() {
    }

    /** The most recent slot start of the class at or before {@code now}. */
    public static Instant currentSlot(RetentionPolicy policy, SnapshotClass klass, Instant now) {
        ZoneRules rules = policy.zone().getRules();
        LocalDateTime local = LocalDateTime.ofInstant(now, policy.zone());
        return switch (klass) {
            case FREQUENTLY -> subDailySlot(rules, now, local, policy.frequentlyEvery().toMinutes());
            case HOURLY -> subDailySlot(rules, now, local, 60);
            case DAILY, WEEKLY, MONTHLY, YEARLY -> dailySlot(policy, klass, rules, now, local.toLocalDate());
        };
    }

    /**
     * The classes whose current slot has not been taken yet, each with that slot, finest class first.
     * A controller that was down over several slots gets one catch-up snapshot per class (the current
     * slot), not one per missed slot; a clock stepped back before the last taken slot makes nothing due.
     */
    public static List<SnapshotSlot> due(RetentionPolicy policy, Instant now, Map<SnapshotClass, Instant> lastTakenSlot) {
        List<SnapshotSlot> due = new ArrayList<>();
        for (SnapshotClass klass : SnapshotClass.values()) {
            if (!policy.isOn(klass)) {
                continue;
            }
            Instant current = currentSlot(policy, klass, now);
            Instant last = lastTakenSlot.get(klass);
            if (last == null || current.isAfter(last)) {
                due.add(new SnapshotSlot(klass, current));
            }
        }
        return due;
    }

    /** The newest slot per class among the zsentinel snapshots of a dataset, as read from their names. */
    public static Map<SnapshotClass, Instant> lastTakenSlots(List<RetainedSnapshot> snapshots) {
        Map<SnapshotClass, Instant> last = new EnumMap<>(SnapshotClass.class);
        for (RetainedSnapshot s : snapshots) {
            if (s.klass().isPresent() && s.slot().isPresent()) {
                last.merge(s.klass().get(), s.slot().get(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return last;
    }

    /** Grid of {@code every} minutes from local midnight; a repeated local time takes the offset {@code now} has. */
    private static Instant subDailySlot(ZoneRules rules, Instant now, LocalDateTime local, long every) {
        long minuteOfDay = local.getHour() * 60L + local.getMinute();
        LocalDateTime start = local.toLocalDate().atStartOfDay().plusMinutes(minuteOfDay - minuteOfDay % every);
        Instant slot = toInstant(rules, start, Optional.of(rules.getOffset(now)));
        while (slot.isAfter(now)) { // only in odd zones whose offsets at 'start' exclude now's; step back a slot
            start = start.minusMinutes(every);
            slot = toInstant(rules, start, Optional.empty());
        }
        return slot;
    }

    private static Instant dailySlot(RetentionPolicy policy, SnapshotClass klass, ZoneRules rules, Instant now,
                                     LocalDate today) {
        LocalDate day = onOrBefore(policy, klass, today);
        Instant slot = toInstant(rules, day.atTime(policy.dailyAt()), Optional.empty());
        while (slot.isAfter(now)) {
            day = onOrBefore(policy, klass, day.minusDays(1));
            slot = toInstant(rules, day.atTime(policy.dailyAt()), Optional.empty());
        }
        return slot;
    }

    /** The latest day of the class on or before {@code date}. */
    private static LocalDate onOrBefore(RetentionPolicy policy, SnapshotClass klass, LocalDate date) {
        return switch (klass) {
            case DAILY -> date;
            case WEEKLY -> date.with(TemporalAdjusters.previousOrSame(policy.weeklyOn()));
            case MONTHLY -> date.getDayOfMonth() >= policy.monthlyOnDay()
                    ? date.withDayOfMonth(policy.monthlyOnDay())
                    : date.minusMonths(1).withDayOfMonth(policy.monthlyOnDay());
            case YEARLY -> {
                LocalDate thisYear = policy.yearlyOn().atYear(date.getYear());
                yield thisYear.isAfter(date) ? policy.yearlyOn().atYear(date.getYear() - 1) : thisYear;
            }
            default -> throw new IllegalArgumentException(klass + " is not a day-based class");
        };
    }

    /**
     * A wall-clock time as an instant: in a gap, the instant the gap ends; in an overlap, the preferred
     * offset if it is one of the two, else the first occurrence.
     */
    private static Instant toInstant(ZoneRules rules, LocalDateTime local, Optional<ZoneOffset> preferred) {
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            ZoneOffsetTransition gap = rules.getTransition(local);
            return gap.getInstant();
        }
        ZoneOffset offset = preferred.filter(offsets::contains).orElse(offsets.get(0));
        return local.toInstant(offset);
    }
}
