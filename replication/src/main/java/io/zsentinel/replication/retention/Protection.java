package io.zsentinel.replication.retention;

import io.zsentinel.core.values.Guid;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The snapshots no rule may destroy: the newest of the dataset (by createtxg; it is the next
 * incremental base) and every protected guid (a replication link's common base, a held snapshot).
 * Count expiry and capacity pruning both pass through here.
 */
public final class Protection {
    private Protection() {
    }

    /** Why {@code candidate} must stay, or empty if it may go. */
    public static Optional<String> blockReason(Set<Guid> protectedGuids, List<RetainedSnapshot> dataset,
                                               RetainedSnapshot candidate) {
        if (protectedGuids.contains(candidate.guid())) {
            return Optional.of("protected (replication base or held), guid " + candidate.guid());
        }
        OptionalLong newest = dataset.stream().mapToLong(RetainedSnapshot::createtxg).max();
        if (newest.isEmpty() || candidate.createtxg() >= newest.getAsLong()) {
            return Optional.of("newest snapshot of the dataset (createtxg " + candidate.createtxg() + ")");
        }
        return Optional.empty();
    }

    /** Splits candidates into those that may be destroyed and those protection keeps, order preserved. */
    public static RetentionPlan screen(Set<Guid> protectedGuids, List<RetainedSnapshot> dataset,
                                       List<Expiry> candidates) {
        List<Expiry> destroy = new ArrayList<>();
        List<Blocked> blocked = new ArrayList<>();
        for (Expiry candidate : candidates) {
            blockReason(protectedGuids, dataset, candidate.snapshot()).ifPresentOrElse(
                    why -> blocked.add(new Blocked(candidate.snapshot(), candidate.reason() + ", but kept: " + why)),
                    () -> destroy.add(candidate));
        }
        return new RetentionPlan(destroy, blocked);
    }
}
