package io.zsentinel.replication.retention;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the snapshots zsentinel takes: {@code zsentinel_<class>_<slot in UTC, seconds>}, such as
 * {@code zsentinel_daily_2026-11-25T00:00:00Z}. UTC keeps names sortable and free of DST ambiguity;
 * ':' is a legal ZFS name character. A name is a label only: identity stays the guid, order the createtxg.
 */
public final class SnapshotNaming {
    public static final String PREFIX = "zsentinel_";
    /** Operator checkpoints: zsentinel's own, but outside the count classes (kept until released). */
    public static final String CHECKPOINT_PREFIX = PREFIX + "checkpoint_";
    private static final DateTimeFormatter SLOT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Instant FIRST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59Z");
    private static final Pattern NAME = Pattern.compile(
            "zsentinel_(frequently|hourly|daily|weekly|monthly|yearly)_(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z)");

    private SnapshotNaming() {
    }

    /** The short name (after '@') for a class and slot; the slot must be whole seconds in years 1970..9999. */
    public static String name(SnapshotClass klass, Instant slot) {
        if (slot.getNano() != 0 || slot.isBefore(FIRST) || slot.isAfter(LAST)) {
            throw new IllegalArgumentException("a snapshot slot must be a whole second between " + FIRST + " and "
                    + LAST + ", was " + slot);
        }
        return PREFIX + klass.configName() + "_" + SLOT.format(slot);
    }

    /**
     * Class and slot of a zsentinel name; empty for any other name, including near misses such as
     * {@code zsentinel_daily_2026-13-01T00:00:00Z} or a non-canonical form: those count as foreign.
     */
    public static Optional<SnapshotSlot> parse(String shortName) {
        if (shortName == null) {
            return Optional.empty();
        }
        Matcher m = NAME.matcher(shortName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            SnapshotSlot parsed = new SnapshotSlot(SnapshotClass.parse(m.group(1)), Instant.parse(m.group(2)));
            return parsed.shortName().equals(shortName) ? Optional.of(parsed) : Optional.empty();
        } catch (DateTimeException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
