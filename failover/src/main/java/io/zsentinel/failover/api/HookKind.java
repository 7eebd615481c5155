package io.zsentinel.failover.api;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** A service's hooks (controller.yaml, {@code services:}), run by the controller. */
public enum HookKind {
    /** Makes sure the failed primary cannot write any more (power it off): before any promotion. */
    FENCE,
    /** Moves the service to the new primary (VIP, NFS/iSCSI exports). */
    PROMOTE,
    /** Stops a server serving the service (it must not serve any more). */
    DEMOTE;

    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
