package io.zsentinel.core.zfs;

import java.util.List;
import java.util.Locale;

/**
 * What kind of failure a zfs/zpool command reported, read once from its stderr. The kind decides
 * retry or stop (a Resilience4j retry predicate reads {@link #retriable()}) and what the operator
 * is told to do.
 */
public enum ZfsErrorKind {
    /**
     * A receive was refused because the target is no longer an ancestor-identical copy of the source:
     * written to, a newer snapshot of its own, or an existing dataset a full stream would replace. Only
     * an operator-ordered rollback ({@code receive -F}) resolves it; zsentinel never forces.
     */
    DIVERGED(false, "the target has data or snapshots the source does not have; zsentinel never forces a receive: "
            + "inspect the target, then resolve the divergence by an operator-ordered rollback of the target "
            + "to the common snapshot (or destroy it) and replicate again",
            "has been modified since most recent snapshot", "does not match incremental source",
            "must specify -f"),
    BUSY(true, "something still uses it (a running send/receive, a hold, an open file or a mount); "
            + "zsentinel retries; if it persists, look for the user with `zfs holds` and `fuser -m`",
            "dataset is busy", "pool is busy", "device or resource busy", "resource busy"),
    DATASET_MISSING(false, "check the name and that the pool is imported (`zpool list`, `zfs list -t all`); "
            + "the inventory that named it may be stale",
            "dataset does not exist", "could not find any snapshots", "no such pool", "no such dataset",
            "does not exist"),
    ALREADY_EXISTS(false, "pick another name, or destroy the existing one first if it is not needed",
            "already exists"),
    NO_SPACE(false, "free space on the pool (prune snapshots, raise quota or add capacity), then retry",
            "out of space", "insufficient", "no space left"),
    PERMISSION(false, "run the agent as root or delegate the permission with `zfs allow`",
            "permission denied", "operation not permitted"),
    UNSUPPORTED(false, "this zfs/zpool version lacks the feature; check ZfsFeatures before calling, "
            + "or upgrade OpenZFS on this server",
            "invalid option", "unknown option", "unrecognized option", "unrecognized command",
            "bad property list", "invalid property", "pyzfs", "function not implemented",
            "command not found", "operation not supported"),
    NEWER_SNAPSHOTS_EXIST(false, "a rollback without --destroy-newer keeps the snapshots taken after the target; "
            + "pass --destroy-newer to destroy them with the rollback (`zfs rollback -r`), or pick the newest snapshot",
            "more recent snapshots"),
    NO_SUCH_HOLD(false, "the snapshot does not carry that hold tag; nothing to release",
            "no such tag"),
    TIMEOUT(true, "the command was killed after its timeout and may still have taken effect; "
            + "check the pool (`zpool status`) and retry"),
    UNKNOWN(false, "read the zfs message above; if it repeats, check `zpool status` and the system log");

    private final boolean retriable;
    private final String correction;
    private final List<String> markers;

    ZfsErrorKind(boolean retriable, String correction, String... markers) {
        this.retriable = retriable;
        this.correction = correction;
        this.markers = List.of(markers);
    }

    /** True when trying the same command again later can succeed. */
    public boolean retriable() {
        return retriable;
    }

    /**
     * For a failed transfer ({@code zfs send | zfs receive}, maybe over ssh): false only when the target's
     * own data refuses the stream (diverged, or a dataset a full stream would replace), which no retry and
     * no fix but an operator's resolution can change. Everything else is tried again with backoff under the
     * target's circuit breaker, and the link shows as failing meanwhile: a broken pipe or dropped
     * connection, and also what an operator fixes on the target without discarding data (a full pool, a
     * pool exported or a parent missing, a permission, a feature the target lacks).
     */
    public boolean retriableTransfer() {
        return switch (this) {
            case DIVERGED, ALREADY_EXISTS -> false;
            default -> true;
        };
    }

    /** What the operator should do, in one sentence. */
    public String correction() {
        return correction;
    }

    /** Classifies a failed command by its stderr; {@link #UNKNOWN} when no marker matches. */
    public static ZfsErrorKind classify(String stderr) {
        if (stderr == null || stderr.isBlank()) {
            return UNKNOWN;
        }
        String text = stderr.toLowerCase(Locale.ROOT);
        // The usage text zfs appends after an option error lists properties and words of its own.
        int usage = text.indexOf("usage:");
        if (usage > 0) {
            text = text.substring(0, usage);
        }
        if (text.contains("insufficient replicas") || text.contains("no valid replicas")) {
            return UNKNOWN;
        }
        for (ZfsErrorKind kind : values()) {
            for (String marker : kind.markers) {
                if (text.contains(marker)) {
                    return kind;
                }
            }
        }
        return UNKNOWN;
    }
}
