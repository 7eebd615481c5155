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
    /** With OpenZFS' {@code written} (bytes since the newest snapshot) as a sixth column. */
    public static final String PROPERTIES_WITH_WRITTEN = PROPERTIES + ",written";

    private DatasetListParser() {
    }

    /** {@code zfs list -H -p -t filesystem,volume -o name,type,used,available,mountpoint[,written]}. */
    public static List<DatasetEntry> parseList(String stdout) {
        List<DatasetEntry> entries = new ArrayList<>();
        for (String line : PropertyTable.lines(stdout)) {
            String[] f = line.split("\t", -1);
            if (f.length != 5 && f.length != 6) {
                throw new ZfsOutputFormatException("zfs list", line, "expected 5 or 6 tab-separated fields, got "
                        + f.length);
            }
            DatasetEntry entry = entry(line, f[0], f[1], f[2], f[3], Optional.of(f[4]));
            entries.add(f.length == 5 ? entry : withWritten(entry, line, f[5]));
        }
        return entries;
    }

    private static DatasetEntry withWritten(DatasetEntry entry, String line, String written) {
        if (written.equals("-")) {
            return entry;
        }
        try {
            return new DatasetEntry(entry.name(), entry.type(), entry.used(), entry.available(), entry.mountpoint(),
                    OptionalLong.of(Long.parseLong(written)));
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
