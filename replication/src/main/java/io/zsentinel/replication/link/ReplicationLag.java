package io.zsentinel.replication.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.replication.api.link.SnapshotRef;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How far a link's target is behind, in the words of a failover: the time since the target's newest
 * snapshot (the link's base) was taken on the source, zero when the source has nothing newer. The one
 * place this is computed: the link view shows it (REST, dashboard, CLI, {@code /metrics}) and the
 * lagging rule reads the same "what the target lacks".
 */
public final class ReplicationLag {
    private ReplicationLag() {
    }

    /**
     * The lag at {@code now}: empty with no base (nothing replicated, the lag is unbounded). With no source
     * snapshot known (inventory not read yet) the target is assumed behind since the base, since a lag that
     * errs low would hide a stuck link. Never negative: a base stamped ahead of {@code now} (the source's clock
     * is ahead) is zero, not a negative lag.
     */
    public static Optional<Duration> of(SnapshotRef base, List<SnapshotInfo> source, Instant now) {
        if (base == null) {
            return Optional.empty();
        }
        if (!source.isEmpty() && lacking(base, source).isEmpty()) {
            return Optional.of(Duration.ZERO);
        }
        Duration sinceBase = Duration.between(base.created(), now);
        return Optional.of(sinceBase.isNegative() ? Duration.ZERO : sinceBase);
    }

    /**
     * The {@code source} snapshots the target lacks: those newer than {@code base} by createtxg (two snapshots
     * may share a creation second, and a source's clock may step back), or by creation time when the base is
     * not among them (only a bookmark on the source now, or not in this inventory yet).
     */
    static List<SnapshotInfo> lacking(SnapshotRef base, List<SnapshotInfo> source) {
        OptionalLong baseTxg = source.stream().filter(s -> s.guid().equals(base.guid()))
                .mapToLong(SnapshotInfo::createtxg).findFirst();
        return source.stream()
                .filter(s -> baseTxg.isPresent() ? s.createtxg() > baseTxg.getAsLong() : s.created().isAfter(base.created()))
                .toList();
    }
}
