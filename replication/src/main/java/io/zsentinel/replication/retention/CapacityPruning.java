package io.zsentinel.replication.retention;

/**
 * When a pool is fuller than the policy allows. Which snapshots go is {@code schedule.CapacitySchedule}'s choice
 * (oldest first by createtxg, never a dataset's newest) and the Dataset's decision (never a protected one).
 */
public final class CapacityPruning {
    private CapacityPruning() {
    }

    /** True when the pool's capacity in percent is strictly above the policy's threshold. */
    public static boolean isOverThreshold(RetentionPolicy policy, int poolCapacityPercent) {
        return poolCapacityPercent > policy.usageThresholdPercent();
    }
}
