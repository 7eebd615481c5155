package io.zsentinel.replication.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.zsentinel.core.values.PrintableText;

/**
 * Who asked for an operator action (for the audit log): 1–100 characters, no control character. Also read back
 * from stored events, so this check never grows stricter; the REST boundary refuses more ({@link PrintableText}).
 */
public record Operator(@JsonValue String name) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public Operator {
        if (name == null || name.isBlank() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("operator must be 1 to 100 printable characters (e.g. alice@ops)");
        }
        name = name.strip();
    }

    @Override
    public String toString() {
        return name;
    }
}
