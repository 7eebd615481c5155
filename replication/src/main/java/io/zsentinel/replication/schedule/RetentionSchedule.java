package io.zsentinel.replication.schedule;

import io.zsentinel.replication.api.AssignRetentionPolicy;
import io.zsentinel.replication.api.DatasetCommand;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.EvaluateRetention;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.Schedule;
import io.zsentinel.replication.retention.SnapshotClass;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the controller's retention ticker orders, as rules: each known dataset is given its configured
 * policy only when it differs from the one assigned (what the store shows until an assignment is accepted
 * here; none is a policy too), and a dataset with a policy is asked to evaluate what is due and what expired
 * only when that could have changed: its policy was assigned, a slot of its policy fell due, the store
 * recorded a change of the dataset (snapshots, holds, protections, orders and their outcomes) — then once
 * more {@link #LOOK_AGAIN_AFTER} later, when the Dataset orders again what got no outcome — and at least every
 * {@link #LOOK_AT_LEAST_EVERY} (bounds counted in days). Pool usage is not an input: pruning for capacity is
 * the capacity schedule's, per pool and tick. What is due is the Dataset aggregate's decision. Time is
 * passed in; not thread-safe (the runtime calls it from one tick at a time).
 */
public final class RetentionSchedule {
    /** The Dataset aggregate orders again what got no outcome after 2 minutes (RetentionRules.RETRY_AFTER). */
    public static final Duration LOOK_AGAIN_AFTER = Duration.ofMinutes(2);
    /** A backstop: a dataset with a policy is evaluated at least this often even when nothing changed. */
    public static final Duration LOOK_AT_LEAST_EVERY = Duration.ofHours(1);

    /** What an evaluation was made on: the dataset's version and its policy's current slots. */
    private record Inputs(long version, List<Instant> slots) {
    }

    private record Evaluated(Inputs inputs, Instant lookAgainAt) {
    }

    private final PolicyConfiguration policies;
    private final ReplicationInventory inventory;
    private final Map<DatasetId, Optional<RetentionPolicy>> assigned = new HashMap<>();
    /** The inputs the latest {@link #orders} of each dataset read, until its evaluation is accepted. */
    private final Map<DatasetId, Inputs> read = new HashMap<>();
    private final Map<DatasetId, Evaluated> evaluated = new HashMap<>();
    /** Each policy's current slots at {@link #slotsAt}: policies are few, datasets many. */
    private final Map<RetentionPolicy, List<Instant>> slots = new IdentityHashMap<>();
    private Instant slotsAt;

    public RetentionSchedule(PolicyConfiguration policies, ReplicationInventory inventory) {
        this.policies = policies;
        this.inventory = inventory;
    }

    /**
     * The commands for {@code dataset} now, to send in order and stop at the first that fails; each one
     * accepted is reported back with {@link #accepted}. Empty when nothing could have changed.
     */
    public List<DatasetCommand> orders(DatasetId dataset, Instant now) {
        Optional<RetentionPolicy> policy = policies.policyFor(dataset);
        Optional<RetentionPolicy> current = assigned.containsKey(dataset) ? assigned.get(dataset)
                : inventory.assignedPolicy(dataset);
        List<DatasetCommand> orders = new ArrayList<>(2);
        if (!current.equals(policy)) {
            orders.add(new AssignRetentionPolicy(dataset, policy.orElse(null), now));
        }
        if (policy.isPresent()) {
            Inputs inputs = new Inputs(inventory.version(dataset), slots(policy.get(), now));
            Evaluated last = evaluated.get(dataset);
            if (!orders.isEmpty() || last == null || !last.inputs().equals(inputs) || !now.isBefore(last.lookAgainAt())) {
                read.put(dataset, inputs);
                orders.add(new EvaluateRetention(dataset, now));
            }
        }
        return orders;
    }

    /**
     * The aggregate accepted {@code command}: an assigned policy is not assigned again while it stays the
     * same; an evaluation is not made again on the same inputs, except once {@link #LOOK_AGAIN_AFTER} a change.
     */
    public void accepted(DatasetCommand command) {
        if (command instanceof AssignRetentionPolicy a) {
            assigned.put(a.id(), Optional.ofNullable(a.policy()));
            evaluated.remove(a.id());
        } else if (command instanceof EvaluateRetention e) {
            Inputs inputs = read.remove(e.id());
            if (inputs != null) {
                Evaluated last = evaluated.get(e.id());
                boolean changed = last == null || last.inputs().version() != inputs.version();
                evaluated.put(e.id(), new Evaluated(inputs, e.now().plus(changed ? LOOK_AGAIN_AFTER : LOOK_AT_LEAST_EVERY)));
            }
        }
    }

    /** The slot each class of the policy is in at {@code now}; none for a replica, which takes nothing itself. */
    private List<Instant> slots(RetentionPolicy policy, Instant now) {
        if (policy.receiveOnly()) {
            return List.of();
        }
        if (!now.equals(slotsAt)) {
            slots.clear();
            slotsAt = now;
        }
        return slots.computeIfAbsent(policy, p -> {
            List<Instant> current = new ArrayList<>();
            for (SnapshotClass klass : SnapshotClass.values()) {
                if (p.isOn(klass)) {
                    current.add(Schedule.currentSlot(p, klass, now));
                }
            }
            return List.copyOf(current);
        });
    }
}
