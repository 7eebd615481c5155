package io.zsentinel.core.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A filesystem or volume name such as {@code primary/vm1}: a pool name, then components joined by '/'. */
public record DatasetName(@JsonValue String value) implements Comparable<DatasetName> {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public DatasetName {
        ZfsNames.checkWhole(value, "dataset name");
        if (value.indexOf('@') >= 0) {
            throw new InvalidNameException("dataset name", value, "contains '@'; that is a snapshot name");
        }
        if (value.indexOf('#') >= 0) {
            throw new InvalidNameException("dataset name", value, "contains '#'; that is a bookmark name");
        }
        String[] parts = value.split("/", -1);
        for (String part : parts) {
            ZfsNames.checkComponent(value, part, "dataset name");
        }
        try {
            new PoolName(parts[0]);
        } catch (InvalidNameException e) {
            throw new InvalidNameException("dataset name", value, "its pool part is not valid ("
                    + e.getMessage() + ")");
        }
    }

    public static DatasetName of(String value) {
        return new DatasetName(value);
    }

    public PoolName pool() {
        int slash = value.indexOf('/');
        return new PoolName(slash < 0 ? value : value.substring(0, slash));
    }

    public SnapshotName snapshot(String shortName) {
        return new SnapshotName(this, shortName);
    }

    public DatasetName child(String component) {
        return new DatasetName(value + "/" + component);
    }

    /** True for the dataset itself and every dataset below it. */
    public boolean contains(DatasetName other) {
        return other.value.equals(value) || other.value.startsWith(value + "/");
    }

    @Override
    public String toString() {
        return value;
    }

    @Override
    public int compareTo(DatasetName o) {
        return value.compareTo(o.value);
    }
}
