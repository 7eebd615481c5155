package io.zsentinel.failover.detect;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** An observation, independent of the server's heartbeats, that it is down. */
public enum Evidence {
    /** Its own agent reported one of its pools FAULTED, UNAVAIL or SUSPENDED: the storage is gone. */
    POOL_FAILED,
    /** Another server's agent (its standby's, over the replication transport) could not reach it since its last heartbeat. */
    UNREACHABLE_FROM_PEER,
    /** The fence hook confirmed it off since its last heartbeat. */
    FENCE_CONFIRMED;

    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
