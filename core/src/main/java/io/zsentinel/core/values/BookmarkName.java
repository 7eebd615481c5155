package io.zsentinel.core.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code dataset#bookmark} (OpenZFS): a snapshot's position (guid, createtxg) kept without its data, so
 * an incremental stream can still start there after the snapshot itself is destroyed.
 */
public record BookmarkName(DatasetName dataset, String shortName) implements Comparable<BookmarkName> {

    public BookmarkName {
        if (dataset == null) {
            throw new InvalidNameException("bookmark name", "#" + shortName, "has no dataset");
        }
        String full = dataset.value() + "#" + shortName;
        if (shortName == null || shortName.isEmpty()) {
            throw new InvalidNameException("bookmark name", full, "has nothing after '#'");
        }
        ZfsNames.checkComponent(full, shortName, "bookmark name");
        if (full.length() > ZfsNames.MAX_LENGTH) {
            ZfsNames.checkWhole(full, "bookmark name");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static BookmarkName parse(String full) {
        if (full == null) {
            throw new InvalidNameException("bookmark name", "null", "is empty");
        }
        int hash = full.indexOf('#');
        if (hash < 0) {
            throw new InvalidNameException("bookmark name", full, "has no '#'");
        }
        if (full.indexOf('#', hash + 1) >= 0) {
            throw new InvalidNameException("bookmark name", full, "has more than one '#'");
        }
        return new BookmarkName(new DatasetName(full.substring(0, hash)), full.substring(hash + 1));
    }

    @JsonValue
    public String full() {
        return dataset.value() + "#" + shortName;
    }

    @Override
    public String toString() {
        return full();
    }

    @Override
    public int compareTo(BookmarkName o) {
        return full().compareTo(o.full());
    }
}
