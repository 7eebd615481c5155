package io.zsentinel.core.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code dataset#bookmark} (OpenZFS): a snapshot's position (guid, createtxg) kept without its data, so
 * an incremental stream can still start there after the snapshot itself is destroyed.
 */
public record BookmarkName(DatasetName dataset, String shortName) implements Comparable<BookmarkName> {

    public BookmarkName {
        ZfsNames.checkChild(dataset, shortName, '#', "bookmark name");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static BookmarkName parse(String full) {
        String[] parts = ZfsNames.splitChild(full, '#', "bookmark name");
        return new BookmarkName(new DatasetName(parts[0]), parts[1]);
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
