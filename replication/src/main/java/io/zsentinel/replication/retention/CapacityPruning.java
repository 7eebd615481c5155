package io.zsentinel.replication.retention;

import io.zsentinel.core.values.Guid;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Pruning when the pool is fuller than the policy allows: the oldest prunable snapshot by createtxg,
 * one at a time, because the controller re-reads capacity after each destroy (freed space is hard to
 * predict: blocks shared with other snapshots stay).
 */
public final class CapacityPruning {
    private CapacityPruning() {
    }

    /** True when the pool's capacity in percent is strictly above the policy's threshold. */
    public static boolean isOverThreshold(RetentionPolicy policy, int poolCapacityPercent) {
        return poolCapacityPercent > policy.usageThresholdPercent();
    }

    /**
     * The oldest zsentinel snapshot (or foreign one, if the policy allows pruning those) that is neither
     * the newest of the dataset nor protected; empty when nothing may go.
     */
    public static Optional<Expiry> nextVictim(RetentionPolicy policy, List<RetainedSnapshot> snapshots,
                                              Set<Guid> protectedGuids) {
        return snapshots.stream()
                .filter(s -> s.isZsentinel() || policy.pruneForeignSnapshots())
                .filter(s -> Protection.blockReason(protectedGuids, snapshots, s).isEmpty())
                .min(Retention.OLDEST_FIRST)
                .map(s -> new Expiry(s, "pruned to free space: pool usage over " + policy.usageThresholdPercent()
                        + "% of capacity, oldest prunable snapshot (createtxg " + s.createtxg() + ")"));
    }
}
