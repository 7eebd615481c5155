package io.zsentinel.projections.fleet;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What the controller can say about a server from its heartbeats alone (no failure verdict). */
public enum Liveness {
    UP, SILENT, UNKNOWN;

    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
