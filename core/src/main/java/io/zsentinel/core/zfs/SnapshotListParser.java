package io.zsentinel.core.zfs;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Snapshot listings, from OpenZFS' {@code zfs list -H -p} or from the {@code zfs get -H -p} table. */
public final class SnapshotListParser {
    /** The properties both forms ask for, in this order. */
    public static final String PROPERTIES = "guid,createtxg,creation,used,referenced,userrefs";
    /** The same without {@code userrefs}, for a zfs without holds (it rejects the property). */
    public static final String PROPERTIES_WITHOUT_HOLDS = "guid,createtxg,creation,used,referenced";

    private SnapshotListParser() {
    }

    /** The property list for a zfs with or without holds. */
    public static String properties(ZfsFeatures features) {
        return features.userHolds() ? PROPERTIES : PROPERTIES_WITHOUT_HOLDS;
    }

    /**
     * {@code zfs list -H -p -t snapshot -o name,guid,createtxg,creation,used,referenced[,userrefs]}:
     * 7 columns, or 6 from a zfs without holds (userrefs then 0).
     */
    public static List<SnapshotEntry> parseList(String stdout) {
        List<SnapshotEntry> entries = new ArrayList<>();
        for (String line : PropertyTable.lines(stdout)) {
            String[] f = line.split("\t", -1);
            if (f.length != 7 && f.length != 6) {
                throw new ZfsOutputFormatException("zfs list", line, "expected 7 tab-separated fields, got " + f.length);
            }
            entries.add(entry(line, f[0], f[1], f[2], f[3], f[4], f[5], f.length == 7 ? f[6] : "0"));
        }
        return entries;
    }

    /** {@code zfs get -H -p -o name,property,value guid,createtxg,creation,used,referenced,userrefs}: snapshots only. */
    public static List<SnapshotEntry> parsePropertyTable(String stdout) {
        return parsePropertyTable(PropertyTable.parse(stdout));
    }

    /**
     * The same, of a recursive {@code zfs get ... listed}: the table must hold {@code listed}'s own row (zfs prints
     * it first), else the output is not that listing (an empty one included) and fails.
     */
    public static List<SnapshotEntry> parsePropertyTable(String stdout, String listed) {
        PropertyTable table = PropertyTable.parse(stdout);
        if (!table.rows().containsKey(listed)) {
            throw new ZfsOutputFormatException("zfs get", PropertyTable.lines(stdout).stream().findFirst().orElse(""),
                    "no properties of " + listed + " itself (" + table.rows().size() + " names read)");
        }
        return parsePropertyTable(table);
    }

    private static List<SnapshotEntry> parsePropertyTable(PropertyTable table) {
        List<SnapshotEntry> entries = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> row : table.rows().entrySet()) {
            String name = row.getKey();
            if (name.indexOf('@') < 0) {
                continue; // zfs-fuse's get has no -t: filesystems come along and are dropped here
            }
            Map<String, String> p = row.getValue();
            entries.add(entry(name, name, PropertyTable.require(p, name, "guid"),
                    PropertyTable.require(p, name, "createtxg"), PropertyTable.require(p, name, "creation"),
                    PropertyTable.require(p, name, "used"), PropertyTable.require(p, name, "referenced"),
                    PropertyTable.optional(p, "userrefs").orElse("0")));
        }
        return entries;
    }

    private static SnapshotEntry entry(String line, String name, String guid, String createtxg, String creation,
                                       String used, String referenced, String userrefs) {
        try {
            return new SnapshotEntry(SnapshotName.parse(name), Guid.parse(guid), Long.parseLong(createtxg),
                    Instant.ofEpochSecond(Long.parseLong(creation)), Long.parseLong(used), Long.parseLong(referenced),
                    userrefs.equals("-") ? 0 : Long.parseLong(userrefs));
        } catch (IllegalArgumentException e) {
            throw new ZfsOutputFormatException("snapshot listing", line, e);
        }
    }
}
