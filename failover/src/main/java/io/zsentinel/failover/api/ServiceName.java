package io.zsentinel.failover.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.regex.Pattern;

/** A service's name, as configured under {@code services:}: what clients use, served from one primary at a time. */
public record ServiceName(@JsonValue String value) implements Comparable<ServiceName> {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public ServiceName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid service name \"" + value + "\": use 1 to 63 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit (e.g. vm-storage)");
        }
    }

    public static ServiceName of(String value) {
        return new ServiceName(value);
    }

    @Override
    public String toString() {
        return value;
    }

    @Override
    public int compareTo(ServiceName o) {
        return value.compareTo(o.value);
    }
}
