package io.zsentinel.failover.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.UUID;

/** One failover of one service: what its steps, hooks and agent commands refer to ({@code zsentinel failover show <id>}). */
public record FailoverId(@JsonValue UUID value) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public FailoverId {
        Objects.requireNonNull(value, "a failover id is required");
    }

    public static FailoverId random() {
        return new FailoverId(UUID.randomUUID());
    }

    public static FailoverId parse(String text) {
        try {
            return new FailoverId(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid failover id \"" + text + "\": a UUID such as "
                    + "3f2a8c1e-5b7d-4e21-9a0c-1d2e3f4a5b6c (zsentinel failover list shows them)", e);
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
