package io.zsentinel.core.values;

/** Pool and vdev states as {@code zpool status} prints them. */
public enum PoolHealth {
    ONLINE, DEGRADED, FAULTED, OFFLINE, UNAVAIL, REMOVED, SUSPENDED, UNKNOWN;

    public static PoolHealth parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** The pool's data is gone from this server (FAULTED, UNAVAIL, SUSPENDED): for failover, its storage is lost. */
    public boolean lost() {
        return this == FAULTED || this == UNAVAIL || this == SUSPENDED;
    }

    /** Serving data without redundancy loss. */
    public boolean healthy() {
        return this == ONLINE;
    }
}
