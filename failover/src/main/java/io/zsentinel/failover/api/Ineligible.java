package io.zsentinel.failover.api;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Why a standby cannot take over a service. */
public enum Ineligible {
    /** The failure detector does not say it is healthy (suspect, failed or unknown). */
    UNHEALTHY,
    /** An operator put it in maintenance mode. */
    IN_MAINTENANCE,
    /** It shares no snapshot with the primary for at least one of the service's datasets: it has no copy to serve. */
    NO_COMMON_SNAPSHOT,
    /** Its newest common snapshot is older than the service's maxDataLoss (an operator's force overrides this one). */
    TOO_STALE;

    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
