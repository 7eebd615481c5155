package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.replication.api.CheckpointOrdered;
import io.zsentinel.replication.api.CheckpointReleased;
import io.zsentinel.replication.api.EvaluateRetention;
import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.OperatorActionRecorded;
import io.zsentinel.replication.api.OrderRestore;
import io.zsentinel.replication.api.OrderRollback;
import io.zsentinel.replication.api.PruneForCapacity;
import io.zsentinel.replication.api.Refusal;
import io.zsentinel.replication.api.ReleaseCheckpoint;
import io.zsentinel.replication.api.RestoreOrdered;
import io.zsentinel.replication.api.RollbackOrdered;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.TakeCheckpoint;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.zsentinel.replication.dataset.DatasetRetentionTest.DS;
import static io.zsentinel.replication.dataset.DatasetRetentionTest.ID;
import static io.zsentinel.replication.dataset.DatasetRetentionTest.daily;
import static io.zsentinel.replication.dataset.DatasetRetentionTest.day;
import static io.zsentinel.replication.dataset.DatasetRetentionTest.history;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operator commands: audited, refused with what would happen, protected checkpoints. */
class DatasetOperatorTest {
    static final Operator ALICE = new Operator("alice@ops");
    private AggregateTestFixture<DatasetAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(DatasetAggregate.class);
    }

    @Test
    void rollbackWithNewerSnapshotsIsRefusedAndSaysWhatWouldBeDestroyed() {
        SnapshotInfo first = daily(0, 1, 0);
        fixture.given(history(3))
                .when(new OrderRollback(ID, first.name(), false, ALICE, "bad upgrade", day(2, 12)))
                .expectNoEvents()
                .expectException(Refusal.class)
                .expectExceptionMessage(org.hamcrest.Matchers.allOf(
                        org.hamcrest.Matchers.containsString("would destroy 2 newer snapshot(s): "
                                + daily(1, 2, 0).name().shortName() + ", " + daily(2, 3, 0).name().shortName()),
                        org.hamcrest.Matchers.containsString("--destroy-newer")));
    }

    @Test
    void rollbackWithTheFlagIsAuditedAndOrdered() {
        SnapshotInfo first = daily(0, 1, 0);
        Instant at = day(2, 12);
        var commandId = CommandIds.of(ID, "OrderRollback", at.toString());
        fixture.given(history(3))
                .when(new OrderRollback(ID, first.name(), true, ALICE, "bad upgrade", at))
                .expectEvents(new OperatorActionRecorded(ID, ALICE, "rollback to " + first.name() + ", destroying "
                                + daily(1, 2, 0).name().shortName() + ", " + daily(2, 3, 0).name().shortName(),
                                "bad upgrade", commandId, at),
                        new RollbackOrdered(ID, first.name(), true, List.of(daily(1, 2, 0).name(), daily(2, 3, 0).name()),
                                commandId, at));
    }

    @Test
    void aCheckpointIsOrderedAuditedAndNeverPrunedUntilReleased() {
        Instant at = Instant.parse("2026-11-02T09:30:00Z");
        var name = DS.snapshot("zsentinel_checkpoint_2026-11-02T09:30:00Z");
        var commandId = CommandIds.of(ID, "TakeCheckpoint", at.toString());
        fixture.given(history(1))
                .when(new TakeCheckpoint(ID, ALICE, "kernel update", at))
                .expectEvents(new OperatorActionRecorded(ID, ALICE, "checkpoint " + name, "kernel update", commandId, at),
                        new CheckpointOrdered(ID, name, commandId, at));

        SnapshotInfo checkpoint = new SnapshotInfo(name, new Guid(77), 50, at, 10, 10, 0); // oldest of all
        List<Object> given = new java.util.ArrayList<>(history(3));
        given.add(new CheckpointOrdered(ID, name, commandId, at));
        given.add(new SnapshotRecorded(ID, checkpoint, commandId, at));
        fixture.given(given).when(new PruneForCapacity(ID, checkpoint.guid(), 99, day(3, 0))).expectNoEvents();

        given.add(new CheckpointReleased(ID, name, checkpoint.guid(), day(3, 0)));
        fixture.given(given).when(new PruneForCapacity(ID, checkpoint.guid(), 99, day(3, 1)))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.payloadsMatching(
                        org.axonframework.test.matchers.Matchers.exactSequenceOf(
                                org.hamcrest.Matchers.instanceOf(io.zsentinel.replication.api.SnapshotPruned.class),
                                org.axonframework.test.matchers.Matchers.andNoMore())));
    }

    @Test
    void releasingSomethingThatIsNotACheckpointIsRefused() {
        fixture.given(history(2))
                .when(new ReleaseCheckpoint(ID, daily(0, 1, 0).name(), ALICE, "cleanup", day(2, 0)))
                .expectException(Refusal.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("is not a checkpoint of"));
    }

    @Test
    void restoreIsAuditedAndOrdered() {
        Instant at = day(2, 12);
        SnapshotInfo s = daily(1, 2, 0);
        var commandId = CommandIds.of(ID, "OrderRestore", at.toString());
        fixture.given(history(3))
                .when(new OrderRestore(ID, s.name(), "etc/app.conf", "/srv/restore", ALICE, "deleted by mistake", at))
                .expectEvents(new OperatorActionRecorded(ID, ALICE, "restore etc/app.conf from " + s.name()
                                + " to /srv/restore", "deleted by mistake", commandId, at),
                        new RestoreOrdered(ID, s.name(), "etc/app.conf", "/srv/restore", commandId, at));
    }

    @Test
    void restorePathsThatLeaveTheSnapshotAndMissingReasonsAreRefusedAtTheDoor() {
        var snap = daily(1, 2, 0).name();
        for (String bad : List.of("../etc/passwd", "a/../../b", "..", "a\0b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new OrderRestore(ID, snap, bad, "", ALICE, "why", day(2, 0)), bad);
            assertTrue(e.getMessage().contains("restore path"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new OrderRollback(ID, snap, false, ALICE, " ", day(2, 0)));
    }

    @Test
    void aRetentionEvaluationWithoutPolicyDoesNothing() {
        fixture.given(new io.zsentinel.replication.api.DatasetRegistered(ID, day(0, 0)))
                .when(new EvaluateRetention(ID, day(5, 0))).expectNoEvents();
    }
}
