package io.zsentinel.projections.audit;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.api.AgentCommandFailed;
import io.zsentinel.replication.api.AgentCommandSucceeded;
import io.zsentinel.replication.api.CheckpointOrdered;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.OperatorActionRecorded;
import io.zsentinel.replication.api.RestoreOrdered;
import io.zsentinel.replication.api.RollbackOrdered;
import io.zsentinel.replication.api.SnapshotPruned;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotRemoved;
import io.zsentinel.replication.api.SnapshotScheduled;
import io.zsentinel.replication.api.link.DivergenceResolutionOrdered;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPaused;
import io.zsentinel.replication.api.link.LinkResumed;
import io.zsentinel.replication.api.link.SyncRequested;
import io.zsentinel.replication.retention.SnapshotClass;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.zsentinel.projections.Events.A_VM1;
import static io.zsentinel.projections.Events.B_VM1;
import static io.zsentinel.projections.Events.T0;
import static io.zsentinel.projections.Events.VM1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditViewTest {
    private static final UUID C1 = UUID.randomUUID();
    private static final UUID C2 = UUID.randomUUID();
    private final AuditView view = new AuditView();

    @Test
    void forcedFailoversAndAcknowledgementsAreAuditedButNotTheRulesOwnChoices() {
        io.zsentinel.failover.api.ServiceName vm = io.zsentinel.failover.api.ServiceName.of("vm");
        io.zsentinel.failover.api.OperatorOrder bob = new io.zsentinel.failover.api.OperatorOrder("bob@ops", "accept the loss");
        io.zsentinel.core.values.ServerId primary = io.zsentinel.core.values.ServerId.of("primary");
        io.zsentinel.core.values.ServerId standby = io.zsentinel.core.values.ServerId.of("standby");
        view.on(new io.zsentinel.failover.api.StandbyChosen(vm, primary, standby, java.time.Duration.ZERO, "first eligible",
                null, T0));
        assertEquals(List.of(), view.audit(Optional.empty(), 10), "an automatic choice is no operator's action");
        io.zsentinel.failover.api.StandbyChosen forced = new io.zsentinel.failover.api.StandbyChosen(vm, primary, standby,
                java.time.Duration.ofMinutes(20), "forced", bob, T0.plusSeconds(1));
        view.on(forced);
        view.on(forced); // redelivered
        view.on(new io.zsentinel.failover.api.FailoverRefused(vm, primary, List.of("standby is failed"), bob,
                T0.plusSeconds(2)));
        view.on(new io.zsentinel.failover.api.FailoverAcknowledged(vm, bob, T0.plusSeconds(3)));

        List<AuditEntry> entries = view.audit(Optional.empty(), 10);
        assertEquals(3, entries.size(), entries.toString());
        assertEquals(List.of("failover ack vm: automatic failover armed again",
                "failover force vm: refused (standby is failed)", "failover force vm --to standby: ordered"),
                entries.stream().map(AuditEntry::action).toList());
        assertEquals(List.of("bob@ops", "accept the loss"), List.of(entries.get(2).operator(), entries.get(2).reason()));
        assertEquals(primary, entries.get(2).server());
    }

    @Test
    void anOperatorCheckpointIsAuditedAndSucceedsWhenItsSnapshotIsRecorded() {
        SnapshotName name = VM1.snapshot("zsentinel_checkpoint_x");
        view.on(audited(A_VM1, C1, "checkpoint " + name));
        view.on(new CheckpointOrdered(A_VM1, name, C1, T0));

        AuditEntry entry = view.audit(Optional.empty(), 10).get(0);
        assertEquals(List.of("alice@ops", "checkpoint " + name, "before upgrade", C1),
                List.of(entry.operator(), entry.action(), entry.reason(), entry.commandId()));
        Operation op = view.operation(C1).orElseThrow();
        assertEquals(List.of("checkpoint", name.full(), Operation.ORDERED, "alice@ops"),
                List.of(op.kind(), op.snapshot(), op.status(), op.orderedBy()));

        view.on(new SnapshotRecorded(A_VM1, new SnapshotInfo(name, new Guid(7), 70, T0, 0, 0), C1, T0.plusSeconds(5)));
        op = view.operation(C1).orElseThrow();
        assertEquals(Operation.SUCCEEDED, op.status());
        assertEquals(T0.plusSeconds(5), op.settledAt());
    }

    @Test
    void linkCommandsAreAuditedOnTheSourceDatasetOnceEach() {
        LinkId link = new LinkId(A_VM1, new DatasetId(B_VM1.server(), DatasetName.of("backup/vm1")));
        Operator alice = new Operator("alice@ops");
        LinkPaused paused = new LinkPaused(link, alice, "maintenance", T0);
        view.on(paused);
        view.on(paused); // redelivered
        view.on(new LinkResumed(link, alice, "done", T0.plusSeconds(60)));
        view.on(new SyncRequested(link, alice, "before the upgrade", T0.plusSeconds(120)));
        view.on(new DivergenceResolutionOrdered(link, null, alice, "standby written by mistake", T0.plusSeconds(180)));

        List<AuditEntry> entries = view.audit(Optional.empty(), 10);
        assertEquals(List.of("replication resolve --rollback-target (full stream) " + link,
                "replication sync-now " + link, "replication resume " + link, "replication pause " + link),
                entries.stream().map(AuditEntry::action).toList());
        assertTrue(entries.stream().allMatch(e -> e.operator().equals("alice@ops") && e.dataset().equals(VM1)
                && e.server().equals(A_VM1.server())));
        assertEquals("maintenance", entries.get(3).reason());
    }

    @Test
    void agentOutcomesSettleOperationsAndASucceededOneStaysSo() {
        view.on(new RollbackOrdered(A_VM1, VM1.snapshot("a"), true, List.of(VM1.snapshot("b")), C1, T0));
        view.on(new RestoreOrdered(A_VM1, VM1.snapshot("a"), "etc/x", "", C2, T0));
        view.on(new AgentCommandSucceeded(A_VM1, C1, "RollbackDataset", "rolled back", T0.plusSeconds(1)));
        view.on(new AgentCommandFailed(A_VM1, C2, "RestoreFromSnapshot", "no such file etc/x", T0.plusSeconds(1)));

        assertEquals("roll back to a, destroying b", view.operation(C1).orElseThrow().description());
        assertEquals(List.of(Operation.SUCCEEDED, "rolled back"),
                List.of(view.operation(C1).orElseThrow().status(), view.operation(C1).orElseThrow().detail()));
        assertEquals(List.of(Operation.FAILED, "no such file etc/x"),
                List.of(view.operation(C2).orElseThrow().status(), view.operation(C2).orElseThrow().detail()));
        assertNull(view.operation(C1).orElseThrow().orderedBy(), "no audit entry: not ordered by a person");

        // Redeliveries: neither a late failure nor the order itself undoes a success.
        view.on(new AgentCommandFailed(A_VM1, C1, "RollbackDataset", "late", T0.plusSeconds(2)));
        view.on(new RollbackOrdered(A_VM1, VM1.snapshot("a"), true, List.of(), C1, T0));
        assertEquals(Operation.SUCCEEDED, view.operation(C1).orElseThrow().status());
    }

    @Test
    void aFailedScheduledSnapshotOrderedAgainIsOpenAgainAndAPruneSucceedsWhenItsGuidIsRemoved() {
        SnapshotName hourly = VM1.snapshot("zsentinel_hourly_1");
        view.on(new SnapshotScheduled(A_VM1, SnapshotClass.HOURLY, T0, hourly, C1, T0));
        view.on(new AgentCommandFailed(A_VM1, C1, "TakeSnapshot", "pool busy", T0.plusSeconds(1)));
        view.on(new SnapshotScheduled(A_VM1, SnapshotClass.HOURLY, T0, hourly, C1, T0.plusSeconds(600)));
        assertEquals(Operation.ORDERED, view.operation(C1).orElseThrow().status());
        assertEquals("take hourly snapshot zsentinel_hourly_1", view.operation(C1).orElseThrow().description());

        SnapshotName old = VM1.snapshot("zsentinel_hourly_0");
        view.on(new SnapshotPruned(A_VM1, old, new Guid(5), "expired: keep 24 hourly", C2, T0));
        view.on(new SnapshotRemoved(A_VM1, VM1.snapshot("other"), new Guid(6), "destroyed outside zsentinel", T0));
        assertEquals(Operation.ORDERED, view.operation(C2).orElseThrow().status());
        view.on(new SnapshotRemoved(A_VM1, old, new Guid(5), "destroyed on command " + C2, T0.plusSeconds(3)));
        assertEquals(Operation.SUCCEEDED, view.operation(C2).orElseThrow().status());
    }

    /** Issue 8: the agent's scan reported the snapshot before its SnapshotCreated; the order stayed "ordered". */
    @Test
    void aScheduledSnapshotRecordedFromAScanWithoutItsCommandStillSettlesTheOrder() {
        SnapshotName hourly = A_VM1.dataset().snapshot("zsentinel_hourly_1");
        view.on(new SnapshotScheduled(A_VM1, SnapshotClass.HOURLY, T0, hourly, C1, T0));
        view.on(new SnapshotRecorded(A_VM1, new SnapshotInfo(hourly, new Guid(9), 90, T0, 0, 0), null, T0.plusSeconds(2)));
        assertEquals(Operation.SUCCEEDED, view.operation(C1).orElseThrow().status());
        // a snapshot of the same name on another server settles nothing
        view.on(new SnapshotScheduled(A_VM1, SnapshotClass.HOURLY, T0, hourly, C2, T0.plusSeconds(3600)));
        view.on(new SnapshotRecorded(new DatasetId(ServerId.of("elsewhere"), A_VM1.dataset()),
                new SnapshotInfo(hourly, new Guid(10), 91, T0, 0, 0), null, T0.plusSeconds(3602)));
        assertEquals(Operation.ORDERED, view.operation(C2).orElseThrow().status());
    }

    @Test
    void newestFirstFilteredByDatasetLimitedAndDeduplicatedByCommandId() {
        DatasetId other = new DatasetId(A_VM1.server(), io.zsentinel.core.values.DatasetName.of("primary"));
        view.on(audited(A_VM1, C1, "first"));
        view.on(audited(other, C2, "second"));
        view.on(audited(B_VM1, UUID.randomUUID(), "third"));
        view.on(audited(A_VM1, C1, "first, redelivered"));

        assertEquals(List.of("third", "second", "first"), actions(view.audit(Optional.empty(), 10)));
        assertEquals(List.of("third", "first"), actions(view.audit(Optional.of(VM1), 10)));
        assertEquals(List.of("third"), actions(view.audit(Optional.empty(), 1)));
    }

    @Test
    void keepsOnlyTheNewestEntriesAndOperations() {
        AuditView small = new AuditView(3);
        for (int i = 0; i < 5; i++) {
            UUID id = new UUID(0, i);
            small.on(audited(A_VM1, id, "action " + i));
            small.on(new SnapshotPruned(A_VM1, VM1.snapshot("s" + i), new Guid(i), "expired", id, T0));
        }
        assertEquals(List.of("action 4", "action 3", "action 2"), actions(small.audit(Optional.empty(), 10)));
        assertEquals(3, small.operations(Optional.empty(), 10).size());
        assertTrue(small.operation(new UUID(0, 1)).isEmpty());
        // The evicted prune's guid is forgotten too: its removal settles nothing and adds nothing.
        small.on(new SnapshotRemoved(A_VM1, VM1.snapshot("s1"), new Guid(1), "destroyed", T0));
        assertEquals(3, small.operations(Optional.empty(), 10).size());
    }

    @Test
    void anEntryCarriesItsOutcomeAlsoOnceItsOperationIsEvicted() {
        AuditView small = new AuditView(3);
        small.on(new RestoreOrdered(A_VM1, VM1.snapshot("a"), "etc/x", "", C1, T0)); // the order may come first
        small.on(audited(A_VM1, C1, "restore etc/x"));
        assertEquals(Operation.ORDERED, small.audit(Optional.empty(), 1).get(0).outcome());
        small.on(new AgentCommandFailed(A_VM1, C1, "RestoreFromSnapshot", "no such file etc/x", T0.plusSeconds(1)));
        small.on(audited(A_VM1, C2, "release checkpoint c"));
        for (int i = 0; i < 5; i++) { // retention fills the operations
            small.on(new SnapshotScheduled(A_VM1, SnapshotClass.HOURLY, T0, VM1.snapshot("h" + i), new UUID(1, i), T0));
        }
        assertTrue(small.operation(C1).isEmpty(), "evicted from the operations");
        List<AuditEntry> entries = small.audit(Optional.empty(), 10);
        assertEquals(List.of(AuditEntry.RECORDED, Operation.FAILED), entries.stream().map(AuditEntry::outcome).toList(),
                "a release orders nothing from an agent");
        assertEquals("no such file etc/x", entries.get(1).outcomeDetail());
    }

    @Test
    void resetForgetsEverything() {
        view.on(audited(A_VM1, C1, "checkpoint"));
        view.on(new CheckpointOrdered(A_VM1, VM1.snapshot("c"), C1, T0));
        view.reset();
        assertTrue(view.audit(Optional.empty(), 10).isEmpty());
        assertTrue(view.operations(Optional.empty(), 10).isEmpty());
        assertTrue(view.operation(C1).isEmpty());
    }

    private static OperatorActionRecorded audited(DatasetId id, UUID commandId, String action) {
        return new OperatorActionRecorded(id, new Operator("alice@ops"), action, "before upgrade", commandId, T0);
    }

    private static List<String> actions(List<AuditEntry> entries) {
        return entries.stream().map(AuditEntry::action).toList();
    }
}
