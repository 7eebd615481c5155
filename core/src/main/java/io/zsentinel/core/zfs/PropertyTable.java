package io.zsentinel.core.zfs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The output of {@code zfs get -H -p -o name,property,value ...}: one "name TAB property TAB value"
 * line per property, grouped by name in the order zfs printed them. Works on every zfs version,
 * which makes it the parsable listing where {@code zfs list -p} is missing (zfs-fuse).
 */
final class PropertyTable {
    private final Map<String, Map<String, String>> rows;

    private PropertyTable(Map<String, Map<String, String>> rows) {
        this.rows = rows;
    }

    static PropertyTable parse(String stdout) {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String line : lines(stdout)) {
            // The value is last and may itself hold a tab (a user property); names never do.
            String[] f = line.split("\t", 3);
            if (f.length != 3) {
                throw new ZfsOutputFormatException("zfs get", line, "expected name, property and value separated by tabs");
            }
            rows.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], f[2]);
        }
        return new PropertyTable(rows);
    }

    Map<String, Map<String, String>> rows() {
        return rows;
    }

    static String require(Map<String, String> props, String name, String property) {
        String value = props.get(property);
        if (value == null) {
            throw new ZfsOutputFormatException("zfs get", name, "no " + property + " property");
        }
        return value;
    }

    static Optional<String> optional(Map<String, String> props, String property) {
        return Optional.ofNullable(props.get(property)).filter(v -> !v.equals("-"));
    }

    static List<String> lines(String stdout) {
        return stdout.lines().filter(l -> !l.isEmpty()).toList();
    }
}
