package io.zsentinel.failover.detect;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * What the {@link FailureDetector} concludes of a server. {@code suspect}: unheard past the heartbeat timeout,
 * nothing else says it is down. {@code failed}: a second, independent observation says so ({@link Evidence}).
 * {@code unknown}: never heard since the controller started, or the whole fleet is unknown (everything silent
 * at once, or the controller's own connection down): no news is not a failure.
 */
public enum Health {
    HEALTHY, SUSPECT, FAILED, UNKNOWN;

    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
