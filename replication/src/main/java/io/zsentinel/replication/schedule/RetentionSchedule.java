package io.zsentinel.replication.schedule;

import io.zsentinel.replication.api.AssignRetentionPolicy;
import io.zsentinel.replication.api.DatasetCommand;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.EvaluateRetention;
import io.zsentinel.replication.retention.RetentionPolicy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the controller's retention ticker orders, as rules: each known dataset is given its configured
 * policy only when it changed (none is a change too), and a dataset with a policy is asked to evaluate
 * what is due and what expired. What is due is the Dataset aggregate's decision. Time is passed in; not
 * thread-safe (the runtime calls it from one tick at a time).
 */
public final class RetentionSchedule {
    private final PolicyConfiguration policies;
    private final Map<DatasetId, Optional<RetentionPolicy>> assigned = new HashMap<>();

    public RetentionSchedule(PolicyConfiguration policies) {
        this.policies = policies;
    }

    /**
     * The commands for {@code dataset} now, to send in order and stop at the first that fails; each one
     * accepted is reported back with {@link #accepted}.
     */
    public List<DatasetCommand> orders(DatasetId dataset, Instant now) {
        Optional<RetentionPolicy> policy = policies.policyFor(dataset);
        List<DatasetCommand> orders = new ArrayList<>(2);
        if (!Objects.equals(assigned.get(dataset), policy)) {
            orders.add(new AssignRetentionPolicy(dataset, policy.orElse(null), now));
        }
        if (policy.isPresent()) {
            orders.add(new EvaluateRetention(dataset, now));
        }
        return orders;
    }

    /** The aggregate accepted {@code command}: an assigned policy is not assigned again while it stays the same. */
    public void accepted(DatasetCommand command) {
        if (command instanceof AssignRetentionPolicy a) {
            assigned.put(a.id(), Optional.ofNullable(a.policy()));
        }
    }
}
