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

    /** Serving data without redundancy loss. */
    public boolean healthy() {
        return this == ONLINE;
    }
}
