package io.zsentinel.core.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.regex.Pattern;

/** A storage server's id, as configured for its agent: also the Kafka key of everything it says. */
public record ServerId(@JsonValue String value) implements Comparable<ServerId> {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public ServerId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new InvalidNameException("server id", String.valueOf(value),
                    "use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    public static ServerId of(String value) {
        return new ServerId(value);
    }

    @Override
    public String toString() {
        return value;
    }

    @Override
    public int compareTo(ServerId o) {
        return value.compareTo(o.value);
    }
}
