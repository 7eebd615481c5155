package io.zsentinel.core.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code dataset@snapshot}. A name is a label only: identity is the {@link Guid} (renames and
 * re-created datasets reuse names).
 */
public record SnapshotName(DatasetName dataset, String shortName) implements Comparable<SnapshotName> {

    public SnapshotName {
        if (dataset == null) {
            throw new InvalidNameException("snapshot name", "@" + shortName, "has no dataset");
        }
        String full = dataset.value() + "@" + shortName;
        if (shortName == null || shortName.isEmpty()) {
            throw new InvalidNameException("snapshot name", full, "has nothing after '@'");
        }
        ZfsNames.checkComponent(full, shortName, "snapshot name");
        if (full.length() > ZfsNames.MAX_LENGTH) {
            ZfsNames.checkWhole(full, "snapshot name");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SnapshotName parse(String full) {
        if (full == null) {
            throw new InvalidNameException("snapshot name", "null", "is empty");
        }
        int at = full.indexOf('@');
        if (at < 0) {
            throw new InvalidNameException("snapshot name", full, "has no '@'");
        }
        if (full.indexOf('@', at + 1) >= 0) {
            throw new InvalidNameException("snapshot name", full, "has more than one '@'");
        }
        return new SnapshotName(new DatasetName(full.substring(0, at)), full.substring(at + 1));
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
