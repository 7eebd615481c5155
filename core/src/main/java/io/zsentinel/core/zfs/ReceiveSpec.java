package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where and how {@code zfs receive} takes a stream.
 *
 * @param target        the dataset the stream becomes (a full stream creates it; an incremental one
 *                      extends it)
 * @param noMount       {@code -u}: a replica is not mounted, so nothing on the target writes to it and
 *                      makes it diverge; zfs-fuse accepts {@code -u} although its usage text omits it
 * @param resumable     {@code -s} where this zfs keeps partial state ({@link ZfsFeatures#resumeTokens()})
 * @param forceRollback {@code -F}: discards the target's changes and newer snapshots. Only for an
 *                      operator-ordered divergence resolution; off in {@link #of}, never set by replication
 */
public record ReceiveSpec(DatasetName target, boolean noMount, boolean resumable, boolean forceRollback) {
    public ReceiveSpec {
        Objects.requireNonNull(target, "target");
    }

    /** The replication default: not mounted, resumable where supported, never forced. */
    public static ReceiveSpec of(DatasetName target) {
        return new ReceiveSpec(target, true, true, false);
    }

    /** As this, but rolling the target back first ({@code -F}); for an operator's explicit order only. */
    public ReceiveSpec operatorOrderedForceRollback() {
        return new ReceiveSpec(target, noMount, resumable, true);
    }

    /** The argument list for a zfs with {@code features}, program name first; {@code -s} only where supported. */
    public List<String> argv(ZfsFeatures features) {
        List<String> argv = new ArrayList<>(List.of("zfs", "receive"));
        if (noMount) {
            argv.add("-u");
        }
        if (resumable && features.resumeTokens()) {
            argv.add("-s");
        }
        if (forceRollback) {
            argv.add("-F");
        }
        argv.add(target.value());
        return List.copyOf(argv);
    }
}
