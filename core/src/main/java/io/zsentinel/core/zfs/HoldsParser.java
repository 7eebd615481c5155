package io.zsentinel.core.zfs;

import java.util.LinkedHashSet;
import java.util.Set;

/** {@code zfs holds -H SNAPSHOT}: "name TAB tag TAB timestamp" per hold (OpenZFS). */
public final class HoldsParser {
    private HoldsParser() {
    }

    public static Set<String> parse(String stdout) {
        Set<String> tags = new LinkedHashSet<>();
        for (String line : PropertyTable.lines(stdout)) {
            String[] f = line.split("\t", -1);
            if (f.length < 2) {
                throw new ZfsOutputFormatException("zfs holds", line, "expected name and tag separated by a tab");
            }
            tags.add(f[1]);
        }
        return tags;
    }
}
