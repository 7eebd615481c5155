package io.zsentinel.failover.api;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where a running failover stands: what it waits for. */
public enum FailoverStep {
    /** A switchover: the old primary's datasets are set read-only and its demote hook stops its writers. */
    DEMOTING,
    /** A switchover: the final snapshot is taken on the read-only old primary. */
    SNAPSHOTTING,
    /** A switchover: the final snapshot is sent to the standby, until its inventory holds its guid. */
    SENDING,
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
