package io.zsentinel.core.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A zpool name: one component, starting with a letter, not a vdev keyword. */
public record PoolName(@JsonValue String value) implements Comparable<PoolName> {
    private static final String[] RESERVED_PREFIXES = {"mirror", "raidz", "draid", "spare", "log", "cache"};

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public PoolName {
        ZfsNames.checkWhole(value, "pool name");
        ZfsNames.checkComponent(value, value, "pool name");
        if (!Character.isLetter(value.charAt(0))) {
            throw new InvalidNameException("pool name", value, "must start with a letter");
        }
        for (String reserved : RESERVED_PREFIXES) {
            if (value.startsWith(reserved)) {
                throw new InvalidNameException("pool name", value, "starts with the reserved word '" + reserved + "'");
            }
        }
    }

    public static PoolName of(String value) {
        return new PoolName(value);
    }

    @Override
    public String toString() {
        return value;
    }

    @Override
    public int compareTo(PoolName o) {
        return value.compareTo(o.value);
    }
}
