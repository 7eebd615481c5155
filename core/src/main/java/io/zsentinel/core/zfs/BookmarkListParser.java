package io.zsentinel.core.zfs;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.core.values.Guid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** OpenZFS' {@code zfs list -H -p -t bookmark -o name,guid,createtxg,creation}. */
public final class BookmarkListParser {
    public static final String PROPERTIES = "guid,createtxg,creation";

    private BookmarkListParser() {
    }

    public static List<BookmarkInfo> parseList(String stdout) {
        List<BookmarkInfo> entries = new ArrayList<>();
        for (String line : PropertyTable.lines(stdout)) {
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                throw new ZfsOutputFormatException("zfs list -t bookmark", line,
                        "expected 4 tab-separated fields, got " + f.length);
            }
            try {
                entries.add(new BookmarkInfo(BookmarkName.parse(f[0]), Guid.parse(f[1]), Long.parseLong(f[2]),
                        Instant.ofEpochSecond(Long.parseLong(f[3]))));
            } catch (IllegalArgumentException e) {
                throw new ZfsOutputFormatException("bookmark listing", line, e);
            }
        }
        return entries;
    }
}
