package io.zsentinel.replication.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.replication.api.link.SnapshotRef;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * When a link that is not transferring is <b>lagging</b> rather than in sync: its target has lacked a source
 * snapshot for longer than the link's interval plus an allowance for the tick that plans it and for the
 * transfer itself, half the interval and at least {@link #MINIMUM_ALLOWANCE}. A link that sends every 15
 * minutes is in sync with 14 minutes of snapshots waiting; lagging once the oldest of them waited over 22.5.
 * Nothing replicated yet (no base) is lagging.
 */
final class LaggingRule {
    static final Duration MINIMUM_ALLOWANCE = Duration.ofMinutes(1);

    private LaggingRule() {
    }

    /** What the target may lack for, beyond the interval, before the link is lagging. */
    static Duration allowance(Duration interval) {
        Duration half = interval.dividedBy(2);
        return half.compareTo(MINIMUM_ALLOWANCE) > 0 ? half : MINIMUM_ALLOWANCE;
    }

    /**
     * Whether the target, whose newest common snapshot is {@code base}, has lacked one of the {@code source}
     * snapshots for longer than {@code interval} plus {@link #allowance}. The wait starts at the creation of the
     * oldest source snapshot the target lacks ({@link ReplicationLag#lacking}).
     */
    /**
     * The first instant at which {@link #lagging} holds for these inputs, null when no source snapshot is
     * lacking (or nothing was replicated yet: lagging already).
     */
    static Instant laggingFrom(SnapshotRef base, List<SnapshotInfo> source, Duration interval) {
        if (base == null) {
            return null;
        }
        return ReplicationLag.lacking(base, source).stream().map(SnapshotInfo::created).min(Comparator.naturalOrder())
                .map(since -> since.plus(interval).plus(allowance(interval)).plusNanos(1)).orElse(null);
    }

    static boolean lagging(SnapshotRef base, List<SnapshotInfo> source, Duration interval, Instant now) {
        if (base == null) {
            return true;
        }
        Optional<Instant> lackingSince = ReplicationLag.lacking(base, source).stream()
                .map(SnapshotInfo::created).min(Comparator.naturalOrder());
        return lackingSince.isPresent()
                && Duration.between(lackingSince.get(), now).compareTo(interval.plus(allowance(interval))) > 0;
    }
}
