package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;

import java.util.List;
import java.util.Objects;

/**
 * What a rejoin finds for one dataset of the former primary: {@code copy}, its copy on the new primary; {@code common},
 * the newest snapshot the two share by guid (null: none, the rejoin is refused); {@code after}, the former primary's
 * snapshots newer than it (short names, oldest first); {@code bytesAfter}, what was written after it where this zfs
 * tells ({@code written}), else an estimate, null when unknown, as {@code bytesHow} says; {@code quiet}: nothing can
 * have been written after {@code common} (read-only since, as at the end of a switchover), so nothing needs keeping.
 */
public record RejoinPlan(DatasetName dataset, DatasetName copy, CommonSnapshot common, List<String> after,
                         Long bytesAfter, String bytesHow, boolean quiet) {
    public RejoinPlan {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(copy, "copy");
        after = List.copyOf(after);
        bytesHow = bytesHow == null ? "" : bytesHow;
        if (common != null && !common.dataset().equals(dataset)) {
            throw new IllegalArgumentException("the common snapshot " + common.snapshot() + " is not of " + dataset);
        }
    }

    /** True when something may lie after the common snapshot: it is kept aside, never destroyed. */
    public boolean keepsDivergence() {
        return !after.isEmpty() || !quiet;
    }
}
