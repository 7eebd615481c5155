package io.zsentinel.core.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A ZFS guid: an unsigned 64-bit number, the identity of a snapshot across servers.
 * Carried as its decimal text in JSON so that no consumer rounds it through a double.
 */
public record Guid(long bits) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Guid parse(String decimal) {
        if (decimal == null || decimal.isEmpty() || decimal.length() > 20) {
            throw new IllegalArgumentException("invalid guid \"" + decimal + "\": expected an unsigned 64-bit decimal number");
        }
        for (int i = 0; i < decimal.length(); i++) {
            if (decimal.charAt(i) < '0' || decimal.charAt(i) > '9') {
                throw new IllegalArgumentException("invalid guid \"" + decimal + "\": expected an unsigned 64-bit decimal number");
            }
        }
        try {
            return new Guid(Long.parseUnsignedLong(decimal));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid guid \"" + decimal + "\": larger than 2^64-1", e);
        }
    }

    @JsonValue
    public String decimal() {
        return Long.toUnsignedString(bits);
    }

    @Override
    public String toString() {
        return decimal();
    }
}
