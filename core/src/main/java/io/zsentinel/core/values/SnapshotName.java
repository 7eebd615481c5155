package io.zsentinel.core.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code dataset@snapshot}. A name is a label only: identity is the {@link Guid} (renames and
 * re-created datasets reuse names).
 */
public record SnapshotName(DatasetName dataset, String shortName) implements Comparable<SnapshotName> {

    public SnapshotName {
        ZfsNames.checkChild(dataset, shortName, '@', "snapshot name");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SnapshotName parse(String full) {
        String[] parts = ZfsNames.splitChild(full, '@', "snapshot name");
        return new SnapshotName(new DatasetName(parts[0]), parts[1]);
    }

    @JsonValue
    public String full() {
        return dataset.value() + "@" + shortName;
    }

    @Override
    public String toString() {
        return full();
    }

    @Override
    public int compareTo(SnapshotName o) {
        return full().compareTo(o.full());
    }
}
