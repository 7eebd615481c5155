package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Filesystem/volume listings, from OpenZFS' {@code zfs list -H -p} or from the {@code zfs get -H -p} table. */
public final class DatasetListParser {
    public static final String PROPERTIES = "type,used,available,mountpoint";

    private DatasetListParser() {
    }

    /** {@code zfs list -H -p -t filesystem,volume -o name,type,used,available,mountpoint}. */
    public static List<DatasetEntry> parseList(String stdout) {
        List<DatasetEntry> entries = new ArrayList<>();
        for (String line : PropertyTable.lines(stdout)) {
            String[] f = line.split("\t", 5);
            if (f.length != 5) {
                throw new ZfsOutputFormatException("zfs list", line, "expected 5 tab-separated fields, got " + f.length);
            }
            entries.add(entry(line, f[0], f[1], f[2], f[3], Optional.of(f[4])));
        }
        return entries;
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
