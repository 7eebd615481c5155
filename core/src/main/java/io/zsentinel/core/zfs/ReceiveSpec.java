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
 * @param replicaOf     the source ({@code server:dataset}) the target copies, or null: a replica is kept
 *                      {@code readonly=on}, so that reading it (atime) or writing to it never makes the next
 *                      incremental refuse, and names its source in {@value #REPLICA_PROPERTY}. Set by the
 *                      receive itself where zfs takes {@code -o} ({@link ZfsFeatures#receiveProperties()}),
 *                      else right after it ({@link ZfsDriver#keepReplicaReadOnly})
 */
public record ReceiveSpec(DatasetName target, boolean noMount, boolean resumable, boolean forceRollback,
                          String replicaOf) {
    /** The user property that marks a dataset as a replica and names its source. */
    public static final String REPLICA_PROPERTY = "zsentinel:replica";

    public ReceiveSpec {
        Objects.requireNonNull(target, "target");
        if (replicaOf != null) {
            checkedSource(replicaOf);
        }
    }

    /** A replica's source as it may stand in {@value #REPLICA_PROPERTY}; refuses anything else. */
    static String checkedSource(String source) {
        if (source.isBlank() || source.length() > 1024 || !source.chars().allMatch(c -> c >= ' ' && c != 127)) {
            throw new IllegalArgumentException("replica source \"" + source
                    + "\": expected server:dataset, 1 to 1024 characters without control characters");
        }
        return source;
    }

    /** The replication default: not mounted, resumable where supported, never forced. */
    public static ReceiveSpec of(DatasetName target) {
        return new ReceiveSpec(target, true, true, false, null);
    }

    /** As this, but rolling the target back first ({@code -F}); for an operator's explicit order only. */
    public ReceiveSpec operatorOrderedForceRollback() {
        return new ReceiveSpec(target, noMount, resumable, true, replicaOf);
    }

    /** As this, the target being a read-only replica of {@code source} ({@code server:dataset}). */
    public ReceiveSpec asReplicaOf(String source) {
        return new ReceiveSpec(target, noMount, resumable, forceRollback, Objects.requireNonNull(source, "source"));
    }

    /**
     * The argument list for a zfs with {@code features}, program name first; {@code -s} and {@code -o} only where
     * supported.
     */
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
        if (replicaOf != null && features.receiveProperties()) {
            argv.addAll(List.of("-o", "readonly=on", "-o", REPLICA_PROPERTY + "=" + replicaOf));
        }
        argv.add(target.value());
        return List.copyOf(argv);
    }
}
