package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Filesystem/volume listings, from OpenZFS' {@code zfs list -H -p} or from the {@code zfs get -H -p} table. */
public final class DatasetListParser {
    public static final String PROPERTIES = "type,used,available,mountpoint";

    private DatasetListParser() {
    }

    /** The listing's columns after the name: these, then {@code written} and {@code snapshots_changed} where present. */
    public static String properties(ZfsFeatures features) {
        return PROPERTIES + (features.written() ? ",written" : "") + (features.snapshotsChanged() ? ",snapshots_changed" : "");
    }

    /** The listing of {@link #properties}: 5 columns, then {@code written}, then {@code snapshots_changed} if asked. */
    public static List<DatasetEntry> parseList(String stdout, boolean written, boolean snapshotsChanged) {
        int columns = 5 + (written ? 1 : 0) + (snapshotsChanged ? 1 : 0);
        List<DatasetEntry> entries = new ArrayList<>();
        for (String line : PropertyTable.lines(stdout)) {
            String[] f = line.split("\t", -1);
            if (f.length != columns) {
                throw new ZfsOutputFormatException("zfs list", line, "expected " + columns
                        + " tab-separated fields, got " + f.length);
            }
            DatasetEntry entry = entry(line, f[0], f[1], f[2], f[3], Optional.of(f[4]));
            OptionalLong w = written ? count(line, f[5]) : OptionalLong.empty();
            Optional<String> changed = snapshotsChanged ? Optional.of(f[columns - 1]).filter(v -> !v.equals("-"))
                    : Optional.empty();
            entries.add(new DatasetEntry(entry.name(), entry.type(), entry.used(), entry.available(), entry.mountpoint(),
                    w, changed));
        }
        return entries;
    }

    private static OptionalLong count(String line, String value) {
        if (value.equals("-")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new ZfsOutputFormatException("dataset listing", line, e);
        }
    }

    /** {@code zfs get -H -p -o name,property,value type,used,available,mountpoint}: snapshots dropped. */
    public static List<DatasetEntry> parsePropertyTable(String stdout) {
        List<DatasetEntry> entries = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> row : PropertyTable.parse(stdout).rows().entrySet()) {
            String name = row.getKey();
            Map<String, String> p = row.getValue();
            String type = PropertyTable.require(p, name, "type");
            if (type.equals("snapshot") || type.equals("bookmark")) {
                continue;
            }
            entries.add(entry(name, name, type, PropertyTable.require(p, name, "used"),
                    PropertyTable.require(p, name, "available"), PropertyTable.optional(p, "mountpoint")));
        }
        return entries;
    }

    private static DatasetEntry entry(String line, String name, String type, String used, String available,
                                      Optional<String> mountpoint) {
        try {
            Optional<String> mounted = mountpoint.filter(m -> m.startsWith("/"));
            return new DatasetEntry(DatasetName.of(name), DatasetType.parse(type), HumanSize.bytes(used),
                    HumanSize.bytes(available), mounted);
        } catch (IllegalArgumentException e) {
            throw new ZfsOutputFormatException("dataset listing", line, e);
        }
    }
}
