package io.zsentinel.replication.schedule;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.AssignRetentionPolicy;
import io.zsentinel.replication.api.DatasetCommand;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.EvaluateRetention;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The retention ticker's rules on plain inputs: a policy is assigned when it changed, evaluated while there is one. */
class RetentionScheduleTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z"), T1 = T0.plusSeconds(60);
    static final DatasetId VM1 = new DatasetId(ServerId.of("primary"), DatasetName.of("tank/vm1"));
    static final RetentionPolicy WEEK = RetentionPolicy.defaults().withOnlyKeep(Map.of(SnapshotClass.DAILY, 7));
    static final RetentionPolicy MONTH = RetentionPolicy.defaults().withOnlyKeep(Map.of(SnapshotClass.DAILY, 30));

    final Map<DatasetId, RetentionPolicy> configured = new HashMap<>();
    final Inventories.View view = new Inventories.View().with(VM1);
    final RetentionSchedule schedule = new RetentionSchedule(id -> Optional.ofNullable(configured.get(id)), view);

    /** The orders, all accepted. */
    List<DatasetCommand> tick(Instant now) {
        List<DatasetCommand> orders = schedule.orders(VM1, now);
        orders.forEach(schedule::accepted);
        return orders;
    }

    @Test
    void aPolicyIsAssignedOnceThenEvaluatedOnlyWhenSomethingCouldHaveChanged() {
        configured.put(VM1, WEEK); // daily at midnight
        assertEquals(List.of(new AssignRetentionPolicy(VM1, WEEK, T0), new EvaluateRetention(VM1, T0)), tick(T0));
        assertEquals(List.of(), tick(T1), "same policy, same slot, nothing changed");

        view.changed(VM1); // e.g. the snapshot the evaluation ordered was taken
        Instant T2 = T1.plusSeconds(30);
        assertEquals(List.of(new EvaluateRetention(VM1, T2)), tick(T2), "the dataset changed");
        assertEquals(List.of(), tick(T2.plusSeconds(30)));
        Instant again = T2.plus(RetentionSchedule.LOOK_AGAIN_AFTER);
        assertEquals(List.of(new EvaluateRetention(VM1, again)), tick(again),
                "once more after a change: what got no outcome is ordered again");
        assertEquals(List.of(), tick(again.plusSeconds(30)));

        Instant backstop = again.plus(RetentionSchedule.LOOK_AT_LEAST_EVERY);
        assertEquals(List.of(), tick(backstop.minusSeconds(1)));
        assertEquals(List.of(new EvaluateRetention(VM1, backstop)), tick(backstop), "at least every hour");
    }

    @Test
    void aDatasetIsEvaluatedWhenASlotOfItsPolicyFallsDue() {
        configured.put(VM1, WEEK); // daily at midnight UTC
        Instant midnight = Instant.parse("2026-11-26T00:00:00Z");
        Instant before = midnight.minusSeconds(1200);
        tick(before);
        tick(before.plus(RetentionSchedule.LOOK_AGAIN_AFTER)); // the look after the assignment
        assertEquals(List.of(), tick(midnight.minusSeconds(1)));
        assertEquals(List.of(new EvaluateRetention(VM1, midnight)), tick(midnight), "the daily slot fell due");
        assertEquals(List.of(), tick(midnight.plusSeconds(30)));
    }

    @Test
    void anEvaluationNotAcceptedIsOrderedAgainAtTheNextTick() {
        configured.put(VM1, WEEK);
        tick(T0);
        view.changed(VM1);
        assertEquals(List.of(new EvaluateRetention(VM1, T1)), schedule.orders(VM1, T1)); // refused: not reported back
        assertEquals(List.of(new EvaluateRetention(VM1, T1)), tick(T1));
    }

    @Test
    void aPolicyAlreadyAssignedInTheStoreIsNotAssignedAgainAfterAStart() {
        view.assigned.put(VM1, WEEK);
        configured.put(VM1, WEEK);
        assertEquals(List.of(new EvaluateRetention(VM1, T0)), tick(T0), "the store has it: only evaluated");

        configured.put(VM1, MONTH);
        assertEquals(List.of(new AssignRetentionPolicy(VM1, MONTH, T1), new EvaluateRetention(VM1, T1)), tick(T1));
    }

    @Test
    void aChangedPolicyIsAssignedAgain() {
        configured.put(VM1, WEEK);
        tick(T0);
        configured.put(VM1, MONTH);
        assertEquals(List.of(new AssignRetentionPolicy(VM1, MONTH, T1), new EvaluateRetention(VM1, T1)), tick(T1));
    }

    @Test
    void noPolicyIsNeitherAssignedNorEvaluatedWhenTheStoreShowsNoneEither() {
        assertEquals(List.of(), tick(T0), "none configured, none assigned: nothing to say (10k commands at a start before)");

        configured.put(VM1, WEEK);
        tick(T1);
        configured.remove(VM1);
        assertEquals(List.of(new AssignRetentionPolicy(VM1, null, T1)), tick(T1), "a policy taken away is a change");
        assertEquals(List.of(), tick(T1.plusSeconds(30)));
    }

    @Test
    void aPolicyTheStoreStillHoldsIsTakenAwayAfterAStart() {
        view.assigned.put(VM1, WEEK);
        assertEquals(List.of(new AssignRetentionPolicy(VM1, null, T0)), tick(T0));
        assertEquals(List.of(), tick(T1), "accepted: the view's older answer is not asked again");
    }

    @Test
    void anAssignmentNotAcceptedIsOrderedAgain() {
        configured.put(VM1, WEEK);
        schedule.orders(VM1, T0); // refused: nothing reported back
        assertEquals(List.of(new AssignRetentionPolicy(VM1, WEEK, T1), new EvaluateRetention(VM1, T1)), tick(T1));

        schedule.accepted(new EvaluateRetention(VM1, T1)); // an evaluation changes nothing of what is assigned
        assertEquals(List.of(), schedule.orders(VM1, T1));
    }
}
