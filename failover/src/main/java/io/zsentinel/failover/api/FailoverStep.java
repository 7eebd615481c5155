package io.zsentinel.failover.api;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where a running failover stands: what it waits for. */
public enum FailoverStep {
    /** The failed primary is being fenced: the fence hook runs, or its lease must lapse certainly. */
    FENCING,
    /** Each dataset of the service is promoted on the chosen standby (roll back, writable, generation). */
    PROMOTING,
    /** The datasets are the writable primary; the promote hook moves the service (VIP, exports) to it. */
    SWITCHING;

    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
