package io.zsentinel.failover.detect;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * What the {@link FailureDetector} can say about a server from its heartbeats: heard within the
 * heartbeat timeout ({@code up}), heard before but not since ({@code silent}), or never heard since
 * the controller started ({@code unknown}).
 */
public enum Liveness {
    UP, SILENT, UNKNOWN;

    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
