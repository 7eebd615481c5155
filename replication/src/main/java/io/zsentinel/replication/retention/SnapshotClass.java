package io.zsentinel.replication.retention;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The retention classes, finest first. The config name is the lowercase word used in YAML and in snapshot names. */
public enum SnapshotClass {
    FREQUENTLY, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY;

    /** {@code frequently}, {@code hourly}, … */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a config name; an unknown one is refused with the list of known names. */
    public static SnapshotClass parse(String configName) {
        for (SnapshotClass c : values()) {
            if (c.configName().equals(configName)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown snapshot class \"" + configName + "\": known classes are "
                + Arrays.stream(values()).map(SnapshotClass::configName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return configName();
    }
}
