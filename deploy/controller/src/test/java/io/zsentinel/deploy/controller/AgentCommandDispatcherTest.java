package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.Envelope;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.messages.agentcommands.DestroySnapshot;
import io.zsentinel.core.messages.agentcommands.ForgetLink;
import io.zsentinel.core.messages.agentcommands.HoldSnapshot;
import io.zsentinel.core.messages.agentcommands.ReleaseHold;
import io.zsentinel.core.messages.agentcommands.RestoreFromSnapshot;
import io.zsentinel.core.messages.agentcommands.RollbackDataset;
import io.zsentinel.core.messages.agentcommands.StartTransfer;
import io.zsentinel.core.messages.agentcommands.TakeSnapshot;
import io.zsentinel.core.messages.agentcommands.TransferPolicy;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.api.CheckpointOrdered;
import io.zsentinel.replication.api.CheckpointReleased;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.api.ProtectionReleased;
import io.zsentinel.replication.api.RestoreOrdered;
import io.zsentinel.replication.api.RollbackOrdered;
import io.zsentinel.replication.api.SnapshotPruned;
import io.zsentinel.replication.api.SnapshotProtected;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotScheduled;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkRetired;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.api.link.SnapshotRef;
import io.zsentinel.replication.dataset.ZfsHolds;
import io.zsentinel.replication.retention.SnapshotClass;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class AgentCommandDispatcherTest {
    static final DatasetId SOURCE = new DatasetId(ServerId.of("primary"), DatasetName.of("tank/vm1"));
    static final LinkId LINK = new LinkId(SOURCE, new DatasetId(ServerId.of("standby"), DatasetName.of("backup/vm1")));

    @Test
    void aRetiredLinksCursorsAreForgottenOnTheSourceServerOncePerEvent() {
        List<String[]> sent = new ArrayList<>();
        AgentCommandDispatcher dispatcher = new AgentCommandDispatcher((key, json) -> sent.add(new String[]{key, json}), 7);
        GenericEventMessage<LinkRetired> event = new GenericEventMessage<>(
                new LinkRetired(LINK, SOURCE, new Guid(5), "rule removed", Instant.parse("2026-11-25T10:00:00Z")));
        dispatcher.on(event.getPayload(), event);
        dispatcher.on(event.getPayload(), event); // redelivered

        assertEquals(2, sent.size());
        assertEquals("primary", sent.get(0)[0], "keyed by the source server");
        ForgetLink forget = assertInstanceOf(ForgetLink.class,
                new EnvelopeCodec(CoreMessages.types()).decode(sent.get(0)[1]).payload());
        assertEquals(new ForgetLink(forget.commandId(), ServerId.of("primary"), 7, DatasetName.of("tank/vm1"),
                LINK.toString()), forget);
        assertEquals(forget, new EnvelopeCodec(CoreMessages.types()).decode(sent.get(1)[1]).payload(),
                "the same command id: the agent carries it out once");
    }

    static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    static final UUID COMMAND = UUID.fromString("00000000-0000-0000-0000-0000000000cc");
    static final SnapshotName HOURLY = SOURCE.dataset().snapshot("zsentinel_hourly_2026-11-25T10:00Z");
    static final SnapshotName CHECKPOINT = SOURCE.dataset().snapshot("zsentinel_checkpoint_before-upgrade");

    final List<String[]> sent = new ArrayList<>();
    final AgentCommandDispatcher dispatcher = new AgentCommandDispatcher((key, json) -> sent.add(new String[]{key, json}),
            7, link -> link.equals(LINK) ? 1_000_000 : 0);

    /** Hands {@code event} to the dispatcher's handler for its type and returns what went out, in order. */
    List<Envelope<Message>> dispatch(Object event) {
        GenericEventMessage<Object> message = new GenericEventMessage<>(event);
        try {
            AgentCommandDispatcher.class.getMethod("on", event.getClass(), org.axonframework.eventhandling.EventMessage.class)
                    .invoke(dispatcher, event, message);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no handler for " + event.getClass().getSimpleName(), e);
        }
        List<Envelope<Message>> out = new ArrayList<>();
        for (String[] s : sent) {
            Envelope<Message> envelope = new EnvelopeCodec(CoreMessages.types()).decode(s[1]);
            assertEquals(s[0], ((io.zsentinel.core.messages.agentcommands.AgentCommand) envelope.payload()).server().value(),
                    "keyed by the server that carries it out");
            assertEquals(message.getTimestamp(), envelope.occurredAt(), "the order is as old as the event");
            assertEquals("controller", envelope.source());
            out.add(envelope);
        }
        sent.clear();
        return out;
    }

    Object only(Object event) {
        List<Envelope<Message>> out = dispatch(event);
        assertEquals(1, out.size(), "one command for " + event);
        return out.get(0).payload();
    }

    @Test
    void aPromotionIsOrderedOnTheChosenStandbyWithItsGenerationAndRollback() {
        io.zsentinel.failover.api.ServiceName service = io.zsentinel.failover.api.ServiceName.of("vm-storage");
        io.zsentinel.failover.api.FailoverId failover = new io.zsentinel.failover.api.FailoverId(COMMAND);
        ServerId standby = ServerId.of("standby");
        io.zsentinel.core.values.DatasetName copy = io.zsentinel.core.values.DatasetName.of("standby/vm1");
        SnapshotName newest = copy.snapshot("zsentinel_frequently_2026-11-25T10:00Z");
        assertEquals(new io.zsentinel.core.messages.agentcommands.PromoteDataset(COMMAND, standby, 7, copy, "vm-storage", 3,
                        newest),
                only(new io.zsentinel.failover.api.PromotionRequested(service, failover, standby, copy, 3, newest, COMMAND,
                        1, AT)));
        assertEquals(new io.zsentinel.core.messages.agentcommands.DemoteDataset(COMMAND, ServerId.of("primary"), 7,
                        SOURCE.dataset(), "vm-storage", 3),
                only(new io.zsentinel.failover.api.DemotionRequested(service, ServerId.of("primary"), SOURCE.dataset(), 3,
                        COMMAND, AT)));
    }

    @Test
    void aScheduledSnapshotIsTakenUnderTheEventsCommandId() {
        assertEquals(new TakeSnapshot(COMMAND, ServerId.of("primary"), 7, HOURLY),
                only(new SnapshotScheduled(SOURCE, SnapshotClass.HOURLY, AT, HOURLY, COMMAND, AT)));
    }

    @Test
    void aPrunedSnapshotIsDestroyedByNameAndGuid() {
        assertEquals(new DestroySnapshot(COMMAND, ServerId.of("primary"), 7, HOURLY, new Guid(42)),
                only(new SnapshotPruned(SOURCE, HOURLY, new Guid(42), "retention", COMMAND, AT)));
    }

    @Test
    void anOrderedCheckpointIsTaken() {
        assertEquals(new TakeSnapshot(COMMAND, ServerId.of("primary"), 7, CHECKPOINT),
                only(new CheckpointOrdered(SOURCE, CHECKPOINT, COMMAND, AT)));
    }

    @Test
    void aRecordedCheckpointOfOursIsHeldButNoOtherSnapshot() {
        HoldSnapshot hold = assertInstanceOf(HoldSnapshot.class, only(new SnapshotRecorded(SOURCE,
                new SnapshotInfo(CHECKPOINT, new Guid(9), 3, AT, 1, 1), COMMAND, AT)));
        assertEquals(new HoldSnapshot(hold.commandId(), ServerId.of("primary"), 7, CHECKPOINT, new Guid(9),
                ZfsHolds.CHECKPOINT), hold);
        assertNotEquals(COMMAND, hold.commandId(), "the hold is a command of its own, not the snapshot's");

        assertEquals(List.of(), dispatch(new SnapshotRecorded(SOURCE, new SnapshotInfo(CHECKPOINT, new Guid(9), 3, AT, 1, 1),
                null, AT)), "a checkpoint-named snapshot zsentinel did not take is not ours to hold");
        assertEquals(List.of(), dispatch(new SnapshotRecorded(SOURCE, new SnapshotInfo(HOURLY, new Guid(8), 2, AT, 1, 1),
                COMMAND, AT)), "an ordinary snapshot is not held");
    }

    @Test
    void aReleasedCheckpointLosesItsHoldOnlyWhenItsGuidIsKnown() {
        ReleaseHold release = assertInstanceOf(ReleaseHold.class, only(new CheckpointReleased(SOURCE, CHECKPOINT, new Guid(9), AT)));
        assertEquals(new ReleaseHold(release.commandId(), ServerId.of("primary"), 7, CHECKPOINT, new Guid(9),
                ZfsHolds.CHECKPOINT), release);
        assertEquals(List.of(), dispatch(new CheckpointReleased(SOURCE, CHECKPOINT, null, AT)),
                "never taken: nothing to release");
    }

    @Test
    void aProtectedBaseIsHeldUnderItsLinksOwnTagAndReleasedUnderTheSame() {
        HoldSnapshot hold = assertInstanceOf(HoldSnapshot.class, only(new SnapshotProtected(SOURCE, HOURLY, new Guid(42),
                LINK.toString(), ProtectionKind.BASE)));
        String tag = ZfsHolds.baseTag(LINK.toString());
        assertEquals(new HoldSnapshot(hold.commandId(), ServerId.of("primary"), 7, HOURLY, new Guid(42), tag), hold);
        assertNotEquals(tag, ZfsHolds.baseTag(new LinkId(SOURCE,
                new DatasetId(ServerId.of("offsite"), DatasetName.of("backup/vm1"))).toString()), "one tag per link");

        ReleaseHold release = assertInstanceOf(ReleaseHold.class, only(new ProtectionReleased(SOURCE, HOURLY, new Guid(42),
                LINK.toString())));
        assertEquals(new ReleaseHold(release.commandId(), ServerId.of("primary"), 7, HOURLY, new Guid(42), tag), release);
    }

    @Test
    void aSnapshotAwaitingTransferIsNotHeldInZfsAndAReleaseWithoutNameSendsNothing() {
        assertEquals(List.of(), dispatch(new SnapshotProtected(SOURCE, HOURLY, new Guid(42), LINK.toString(),
                ProtectionKind.AWAITING)));
        assertEquals(List.of(), dispatch(new ProtectionReleased(SOURCE, null, new Guid(42), LINK.toString())));
    }

    @Test
    void aScheduledReplicationStartsATransferOnTheSourceWithTheLinksLimitNameAndPolicy() {
        UUID transfer = UUID.fromString("00000000-0000-0000-0000-000000000077");
        SnapshotRef from = new SnapshotRef(SOURCE.dataset().snapshot("zsentinel_hourly_1"), new Guid(1), AT);
        SnapshotRef to = new SnapshotRef(HOURLY, new Guid(42), AT);
        TransferPolicy policy = new TransferPolicy(Duration.ofMinutes(7), 3, Duration.ofMinutes(2));
        assertEquals(new StartTransfer(transfer, ServerId.of("primary"), 7, transfer, from.name(), HOURLY, true,
                        ServerId.of("standby"), DatasetName.of("backup/vm1"), "token", 1_000_000, true, LINK.toString(), false,
                        policy),
                only(new ReplicationScheduled(LINK, transfer, from, to, true, "token", true, 2, AT, false, policy)));
        StartTransfer full = assertInstanceOf(StartTransfer.class,
                only(new ReplicationScheduled(LINK, transfer, null, to, false, null, false, 1, AT, false)));
        assertEquals(new StartTransfer(transfer, ServerId.of("primary"), 7, transfer, null, HOURLY, false,
                        ServerId.of("standby"), DatasetName.of("backup/vm1"), null, 1_000_000, false, LINK.toString(), false),
                full, "a full send has no from");
        assertEquals(TransferPolicy.DEFAULTS, full.policy(), "an event stored before links sent their policy");
    }

    /** Issue 11: a failover's new primary sends at its service's generation, which the agents fence older orders by. */
    @Test
    void aTransferCarriesTheGenerationItsLinksSourceServesAt() {
        List<String[]> out = new ArrayList<>();
        AgentCommandDispatcher fencing = new AgentCommandDispatcher((key, json) -> out.add(new String[]{key, json}), 7,
                link -> 0, link -> link.equals(LINK) ? 2 : 0);
        UUID transfer = UUID.fromString("00000000-0000-0000-0000-000000000078");
        ReplicationScheduled e = new ReplicationScheduled(LINK, transfer, null, new SnapshotRef(HOURLY, new Guid(42), AT),
                false, null, false, 1, AT, false);
        fencing.on(e, new GenericEventMessage<>(e));
        StartTransfer order = assertInstanceOf(StartTransfer.class,
                new EnvelopeCodec(CoreMessages.types()).decode(out.get(0)[1]).payload());
        assertEquals(2, order.generation());
        assertEquals(0, assertInstanceOf(StartTransfer.class, only(e)).generation(), "no failover: not fenced");
    }

    /**
     * Issue 12: a switchover's old primary, demoted at the generation it served, sends its final snapshot on an order
     * of that generation, known from the switchover this processor saw, not from a view that may lag it.
     */
    @Test
    void aSwitchoversFinalSendCarriesTheGenerationTheOldPrimaryWasDemotedAtAsSoonAsTheProcessorSawItStart() {
        UUID transfer = UUID.fromString("00000000-0000-0000-0000-000000000079");
        ReplicationScheduled e = new ReplicationScheduled(LINK, transfer, null, new SnapshotRef(HOURLY, new Guid(42), AT),
                false, null, false, 1, AT, false);
        io.zsentinel.failover.api.FailoverId id = new io.zsentinel.failover.api.FailoverId(COMMAND);
        io.zsentinel.failover.api.ServiceName vm = io.zsentinel.failover.api.ServiceName.of("vm1");
        dispatcher.on(new io.zsentinel.failover.api.SwitchoverStarted(vm, id, SOURCE.server(), LINK.target().server(), 3,
                List.of(new io.zsentinel.failover.api.DatasetPromotion(LINK.target().dataset(), null, SOURCE.dataset())),
                AT.plusSeconds(300), new io.zsentinel.failover.api.OperatorOrder("alice", "disks"), AT));
        assertEquals(2, assertInstanceOf(StartTransfer.class, only(e)).generation(), "demoted at 2, switching to 3");
        dispatcher.on(new io.zsentinel.failover.api.SwitchoverCompleted(vm, id, SOURCE.server(), LINK.target().server(), 3,
                new io.zsentinel.failover.api.OperatorOrder("alice", "disks"), AT.plusSeconds(5)));
        assertEquals(0, assertInstanceOf(StartTransfer.class, only(e)).generation(), "over: the link's own generation");
    }

    @Test
    void aRollbackAndARestoreAreOrderedOnTheDatasetsServer() {
        assertEquals(new RollbackDataset(COMMAND, ServerId.of("primary"), 7, HOURLY, true),
                only(new RollbackOrdered(SOURCE, HOURLY, true, List.of(CHECKPOINT), COMMAND, AT)));
        assertEquals(new RestoreFromSnapshot(COMMAND, ServerId.of("primary"), 7, HOURLY, "etc/app.conf", "/restore"),
                only(new RestoreOrdered(SOURCE, HOURLY, "etc/app.conf", "/restore", COMMAND, AT)));
    }

    @Test
    void derivedCommandIdsAreStablePerEventAndDifferBetweenEvents() {
        SnapshotProtected protect = new SnapshotProtected(SOURCE, HOURLY, new Guid(42), LINK.toString(), ProtectionKind.BASE);
        GenericEventMessage<SnapshotProtected> first = new GenericEventMessage<>(protect);
        GenericEventMessage<SnapshotProtected> second = new GenericEventMessage<>(protect);
        dispatcher.on(protect, first);
        dispatcher.on(protect, first);
        dispatcher.on(protect, second);
        List<UUID> ids = sent.stream().map(s -> ((HoldSnapshot) new EnvelopeCodec(CoreMessages.types()).decode(s[1])
                .payload()).commandId()).toList();
        assertEquals(ids.get(0), ids.get(1), "redelivered: the same command");
        assertNotEquals(ids.get(0), ids.get(2), "another event: another command");
    }
}
