package io.zsentinel.replication.retention;

import io.zsentinel.core.values.Guid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The count rules: per class, keep the newest N zsentinel snapshots by createtxg and expire the
 * rest. Names and creation times are not trusted for order: a skewed clock can make them go backwards,
 * createtxg cannot. Foreign snapshots never expire by count.
 */
public final class Retention {
    /** Newest first: createtxg, then (same transaction group) slot and name, for a stable answer. */
    static final Comparator<RetainedSnapshot> NEWEST_FIRST = Comparator
            .comparingLong(RetainedSnapshot::createtxg)
            .thenComparing(s -> s.slot().orElse(Instant.MIN))
            .thenComparing(RetainedSnapshot::name)
            .reversed();
    static final Comparator<RetainedSnapshot> OLDEST_FIRST = NEWEST_FIRST.reversed();

    private Retention() {
    }

    /** The snapshots the count rules expire, oldest first, before protection. */
    public static List<Expiry> expired(RetentionPolicy policy, List<RetainedSnapshot> snapshots) {
        List<Expiry> expired = new ArrayList<>();
        for (SnapshotClass klass : SnapshotClass.values()) {
            int keep = policy.keep(klass);
            String reason = keep == 0
                    ? "expired " + klass.configName() + " (class switched off, keeping 0)"
                    : "expired " + klass.configName() + " (keeping newest " + keep + ")";
            snapshots.stream()
                    .filter(s -> s.klass().filter(klass::equals).isPresent())
                    .sorted(NEWEST_FIRST)
                    .skip(keep)
                    .forEach(s -> expired.add(new Expiry(s, reason)));
        }
        expired.sort(Comparator.comparing(Expiry::snapshot, OLDEST_FIRST));
        return expired;
    }

    /** The count rules, then {@link Protection}: what to destroy now and what stays protected. */
    public static RetentionPlan plan(RetentionPolicy policy, List<RetainedSnapshot> snapshots, Set<Guid> protectedGuids) {
        return Protection.screen(protectedGuids, snapshots, expired(policy, snapshots));
    }
}
