package io.zsentinel.core.zfs;

import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code zpool list -H [-p] -o name,size,allocated,free,capacity,health}: exact bytes and a bare
 * percentage with -p (OpenZFS), rounded units and "45%" without (zfs-fuse). A FAULTED pool may
 * print "-" for its sizes; those read as 0.
 */
public final class PoolListParser {
    public static final String COLUMNS = "name,size,allocated,free,capacity,health";

    private PoolListParser() {
    }

    public static List<PoolEntry> parse(String stdout) {
        List<PoolEntry> pools = new ArrayList<>();
        for (String line : PropertyTable.lines(stdout)) {
            String[] f = line.split("\t", -1);
            if (f.length != 6) {
                throw new ZfsOutputFormatException("zpool list", line, "expected 6 tab-separated fields, got " + f.length);
            }
            try {
                pools.add(new PoolEntry(PoolName.of(f[0]), PoolHealth.parse(f[5]), size(f[1]), size(f[2]), size(f[3]),
                        f[4].equals("-") ? 0 : HumanSize.percent(f[4])));
            } catch (IllegalArgumentException e) {
                throw new ZfsOutputFormatException("zpool list", line, e);
            }
        }
        return pools;
    }

    private static long size(String text) {
        return text.equals("-") ? 0 : HumanSize.bytes(text);
    }
}
