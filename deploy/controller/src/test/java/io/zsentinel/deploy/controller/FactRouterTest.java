package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.Envelope;
import io.zsentinel.core.messages.MalformedMessageException;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.messages.agentcommands.ForgetLink;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.messages.facts.CommandCompleted;
import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.messages.facts.PoolHealthReported;
import io.zsentinel.core.messages.facts.PrimaryStoodDown;
import io.zsentinel.core.messages.facts.SnapshotCreated;
import io.zsentinel.core.messages.facts.SnapshotDestroyed;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.messages.facts.TransferCompleted;
import io.zsentinel.core.messages.facts.TransferFailed;
import io.zsentinel.core.messages.facts.TransferProgressed;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.PoolCondition;
import io.zsentinel.failover.api.RecordHeartbeat;
import io.zsentinel.failover.api.RecordPoolHealth;
import io.zsentinel.failover.api.ResumePrimary;
import io.zsentinel.failover.api.RecordServiceCommandOutcome;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.ReconcileInventory;
import io.zsentinel.replication.api.RecordCommandOutcome;
import io.zsentinel.replication.api.RecordSnapshotGone;
import io.zsentinel.replication.api.RecordSnapshotTaken;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.RecordTransferCompleted;
import io.zsentinel.replication.api.link.RecordTransferFailed;
import io.zsentinel.replication.api.link.RecordTransferProgress;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each agent fact becomes the aggregate command(s) it stands for, about the server it came from. */
class FactRouterTest {
    static final ServerId PRIMARY = ServerId.of("primary");
    static final DatasetName VM1 = DatasetName.of("tank/vm1");
    static final DatasetId VM1_ID = new DatasetId(PRIMARY, VM1);
    static final LinkId LINK = new LinkId(VM1_ID, new DatasetId(ServerId.of("standby"), DatasetName.of("backup/vm1")));
    static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    static final Instant OCCURRED = Instant.parse("2026-11-25T10:00:07Z");
    static final UUID MESSAGE = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
    static final UUID COMMAND = UUID.fromString("00000000-0000-0000-0000-0000000000cc");
    static final UUID TRANSFER = UUID.fromString("00000000-0000-0000-0000-000000000077");
    static final SnapshotInfo SNAP = new SnapshotInfo(VM1.snapshot("zsentinel_hourly_1"), new Guid(11), 3, AT, 1, 1);

    /** What the router told the live facts, in order. */
    final List<Object> seen = new ArrayList<>();
    final LiveFacts live = new LiveFacts() {
        @Override
        public void heartbeat(AgentHeartbeat heartbeat) {
            seen.add(heartbeat.peers().isEmpty() ? List.of("heartbeat", heartbeat.server(), heartbeat.at())
                    : List.of("heartbeat", heartbeat.server(), heartbeat.at(), heartbeat.peers()));
        }

        @Override
        public void poolHealth(PoolHealthReported report) {
            seen.add(List.of("pool health", report));
        }

        @Override
        public void poolReported(PoolHealthReported report) {
            seen.add(report);
        }

        @Override
        public void snapshotDestroyed(ServerId server, Guid guid) {
            seen.add(List.of("destroyed", server, guid));
        }

        @Override
        public void commandRejected(CommandRejected rejected) {
            seen.add(rejected);
        }

        @Override
        public void inventoryReported(SnapshotInventoryReported report) {
            seen.add(report);
        }
    };
    final FactRouter router = new FactRouter(live);

    static Envelope<Message> envelope(Message payload) {
        return new Envelope<>(MESSAGE, payload.getClass().getSimpleName(), 1, OCCURRED, "primary", payload);
    }

    List<Object> route(Message fact) {
        return router.commandsFor("primary", envelope(fact));
    }

    @Test
    void aHeartbeatRecordsTheEpochAndFeedsLiveness() {
        assertEquals(List.of(new RecordHeartbeat(PRIMARY, 4, AT)), route(new AgentHeartbeat(PRIMARY, 4, AT)));
        assertEquals(List.of(List.of("heartbeat", PRIMARY, AT)), seen);
    }

    @Test
    void anInventoryReconcilesTheDatasetOfThatServerUnderTheMessageId() {
        SnapshotInventoryReported report = new SnapshotInventoryReported(PRIMARY, VM1, List.of(SNAP), AT);
        assertEquals(List.of(new ReconcileInventory(VM1_ID, List.of(SNAP), AT, MESSAGE)), route(report));
        assertEquals(List.of(report), seen);
    }

    @Test
    void aSnapshotTakenIsRecordedOnItsDatasetWithTheCommandThatAskedForIt() {
        assertEquals(List.of(new RecordSnapshotTaken(VM1_ID, SNAP, COMMAND, MESSAGE)),
                route(new SnapshotCreated(PRIMARY, SNAP, COMMAND)));
        assertEquals(List.of(), seen, "a snapshot taken changes no live fact");
    }

    @Test
    void aSnapshotDestroyedIsGoneFromItsDatasetAtTheEnvelopesTime() {
        assertEquals(List.of(new RecordSnapshotGone(VM1_ID, SNAP.name(), new Guid(11), COMMAND, OCCURRED, MESSAGE)),
                route(new SnapshotDestroyed(PRIMARY, SNAP.name(), new Guid(11), COMMAND)));
        assertEquals(List.of(List.of("destroyed", PRIMARY, new Guid(11))), seen);
    }

    @Test
    void aPoolReportBecomesThePoolsConditionOnItsServer() {
        PoolHealthReported report = new PoolHealthReported(PRIMARY, PoolName.of("tank"), PoolHealth.DEGRADED, 81,
                1000, 810, 1, 2, 3, "one disk faulted", AT);
        assertEquals(List.of(new RecordPoolHealth(PRIMARY, new PoolCondition(PoolName.of("tank"), PoolHealth.DEGRADED,
                81, 1000, 1, 2, 3, AT))), route(report));
        assertEquals(List.of(report, List.of("pool health", report)), seen, "the usage and the failure detector");
    }

    @Test
    void aDatasetThatStandsDownGoesToTheServiceItWasPromotedForAndWithoutOneNowhere() {
        assertEquals(List.of(new ResumePrimary(ServiceName.of("vm-storage"), PRIMARY, VM1, 3, AT)),
                route(new PrimaryStoodDown(PRIMARY, VM1, "vm-storage", 3, AT)));
        assertEquals(List.of(), route(new PrimaryStoodDown(PRIMARY, VM1, null, 3, AT)),
                "promoted before services were recorded: left to the operator");
        assertEquals(List.of(), seen, "no live fact");
    }

    @Test
    void aHeartbeatBringsItsPeerProbesToTheFailureDetector() {
        List<io.zsentinel.core.messages.facts.PeerProbe> probes = List.of(
                new io.zsentinel.core.messages.facts.PeerProbe(ServerId.of("standby"), false, AT.minusSeconds(1)));
        FactRouter liveness = new FactRouter(live, FactRouter.Path.LIVENESS);
        assertEquals(List.of(new RecordHeartbeat(PRIMARY, 4, AT)),
                liveness.commandsFor("primary", envelope(new AgentHeartbeat(PRIMARY, 4, AT, probes))));
        assertEquals(List.of(List.of("heartbeat", PRIMARY, AT, probes)), seen);
    }

    /** Issue 10: liveness has a path of its own; the ordered path leaves it alone but keeps usage in order. */
    @Test
    void theOrderedPathLeavesHeartbeatsToTheLivenessPathAndOnlyFeedsPoolUsageInOrder() {
        FactRouter ordered = new FactRouter(live, FactRouter.Path.ORDERED);
        PoolHealthReported report = new PoolHealthReported(PRIMARY, PoolName.of("tank"), PoolHealth.DEGRADED, 81,
                1000, 810, 1, 2, 3, "one disk faulted", AT);
        assertEquals(List.of(), ordered.commandsFor("primary", envelope(new AgentHeartbeat(PRIMARY, 4, AT))));
        assertEquals(List.of(), ordered.commandsFor("primary", envelope(report)));
        assertEquals(List.of(report), seen, "the pool usage needs the report in order with destroy facts");
        SnapshotInventoryReported inventory = new SnapshotInventoryReported(PRIMARY, VM1, List.of(SNAP), AT);
        assertEquals(List.of(new ReconcileInventory(VM1_ID, List.of(SNAP), AT, MESSAGE)),
                ordered.commandsFor("primary", envelope(inventory)));
        assertThrows(MalformedMessageException.class, () -> ordered.commandsFor("standby",
                envelope(new AgentHeartbeat(PRIMARY, 4, AT))), "a forged heartbeat is still dead-lettered once");
    }

    @Test
    void theLivenessPathTakesHeartbeatsAndPoolConditionsAndNothingElse() {
        FactRouter liveness = new FactRouter(live, FactRouter.Path.LIVENESS);
        PoolHealthReported report = new PoolHealthReported(PRIMARY, PoolName.of("tank"), PoolHealth.DEGRADED, 81,
                1000, 810, 1, 2, 3, "one disk faulted", AT);
        assertEquals(List.of(new RecordHeartbeat(PRIMARY, 4, AT)),
                liveness.commandsFor("primary", envelope(new AgentHeartbeat(PRIMARY, 4, AT))));
        assertEquals(List.of(new RecordPoolHealth(PRIMARY, new PoolCondition(PoolName.of("tank"), PoolHealth.DEGRADED,
                81, 1000, 1, 2, 3, AT))), liveness.commandsFor("primary", envelope(report)));
        assertEquals(List.of(), liveness.commandsFor("primary",
                envelope(new SnapshotInventoryReported(PRIMARY, VM1, List.of(SNAP), AT))));
        assertEquals(List.of(), liveness.commandsFor("primary",
                envelope(new SnapshotDestroyed(PRIMARY, SNAP.name(), new Guid(11), COMMAND))));
        assertEquals(List.of(List.of("heartbeat", PRIMARY, AT), List.of("pool health", report)), seen,
                "pool usage and destroys are the ordered path's; the detector takes the pool's health");
    }

    @Test
    void transferFactsGoToTheLinkTheyName() {
        String link = LINK.toString();
        assertEquals(List.of(new RecordTransferProgress(LINK, TRANSFER, 500, AT)),
                route(new TransferProgressed(PRIMARY, TRANSFER, 500, 50, AT, link)));
        assertEquals(List.of(new RecordTransferCompleted(LINK, TRANSFER, new Guid(11), AT)),
                route(new TransferCompleted(PRIMARY, TRANSFER, SNAP.name(), new Guid(11), 900, AT, link)));
        assertEquals(List.of(new RecordTransferFailed(LINK, TRANSFER, "target diverged", "tok", AT, false)),
                route(new TransferFailed(PRIMARY, TRANSFER, SNAP.name(), "target diverged", "tok", false, 10, AT, link)));
        assertEquals(List.of(), seen);
    }

    @Test
    void aTransferNotOrderedByALinkUpdatesNothing() {
        assertEquals(List.of(), route(new TransferProgressed(PRIMARY, TRANSFER, 500, 50, AT)));
        assertEquals(List.of(), route(new TransferCompleted(PRIMARY, TRANSFER, SNAP.name(), new Guid(11), 900, AT)));
        assertEquals(List.of(), route(new TransferFailed(PRIMARY, TRANSFER, SNAP.name(), "x", null, true, 10, AT)));
    }

    @Test
    void aTransferFactFromAServerNotTheLinksSourceIsMalformed() {
        // Only the source's agent sends a link's snapshots: the target (or any other server) cannot update the link,
        // so no two servers' facts, handled on different lanes, reach the same link aggregate.
        ServerId standby = LINK.target().server();
        String link = LINK.toString();
        for (Message fact : List.<Message>of(new TransferProgressed(standby, TRANSFER, 500, 50, AT, link),
                new TransferCompleted(standby, TRANSFER, SNAP.name(), new Guid(11), 900, AT, link),
                new TransferFailed(standby, TRANSFER, SNAP.name(), "x", null, true, 10, AT, link))) {
            MalformedMessageException e = assertThrows(MalformedMessageException.class,
                    () -> router.commandsFor(standby.value(), new Envelope<>(MESSAGE, fact.getClass().getSimpleName(), 1,
                            OCCURRED, standby.value(), fact)));
            assertTrue(e.getMessage().contains("standby") && e.getMessage().contains(link), e.getMessage());
        }
        assertEquals(List.of(), seen);
    }

    @Test
    void aTransferFactNamingAnInvalidLinkIsMalformed() {
        for (String bad : List.of("not-a-link", "primary:tank/vm1->primary:tank/vm1")) {
            MalformedMessageException e = assertThrows(MalformedMessageException.class,
                    () -> route(new TransferCompleted(PRIMARY, TRANSFER, SNAP.name(), new Guid(11), 900, AT, bad)));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        assertThrows(MalformedMessageException.class,
                () -> route(new TransferProgressed(PRIMARY, TRANSFER, 1, 1, AT, "garbage")));
        assertThrows(MalformedMessageException.class,
                () -> route(new TransferFailed(PRIMARY, TRANSFER, SNAP.name(), "x", null, true, 1, AT, "garbage")));
    }

    @Test
    void aCommandOutcomeIsRecordedOnTheDatasetItWasAbout() {
        assertEquals(List.of(new RecordCommandOutcome(VM1_ID, COMMAND, "HoldSnapshot", true, "held", OCCURRED)),
                route(new CommandCompleted(PRIMARY, COMMAND, "HoldSnapshot", "held", VM1)));
        CommandRejected rejected = new CommandRejected(PRIMARY, COMMAND, "DestroySnapshot", "snapshot is held", VM1);
        assertEquals(List.of(new RecordCommandOutcome(VM1_ID, COMMAND, "DestroySnapshot", false, "snapshot is held",
                OCCURRED)), route(rejected));
        assertEquals(List.of(rejected), seen, "a refusal also reaches the live facts");
    }

    @Test
    void anAnswerToAPromotionOrDemotionGoesToItsServiceNotToTheDataset() {
        ServiceName vmStorage = ServiceName.of("vm-storage");
        assertEquals(List.of(new RecordServiceCommandOutcome(vmStorage, PRIMARY, VM1, COMMAND, "PromoteDataset", true,
                        "promoted", OCCURRED)),
                route(new CommandCompleted(PRIMARY, COMMAND, "PromoteDataset", "promoted", VM1, "vm-storage")));
        CommandRejected refused = new CommandRejected(PRIMARY, COMMAND, "DemoteDataset", "generation 2 is older", VM1,
                "vm-storage");
        assertEquals(List.of(new RecordServiceCommandOutcome(vmStorage, PRIMARY, VM1, COMMAND, "DemoteDataset", false,
                "generation 2 is older", OCCURRED)), route(refused));
        assertEquals(List.of(refused), seen, "a refusal also reaches the live facts");
    }

    @Test
    void anAnswerNamingAnInvalidServiceOrNoDatasetIsMalformed() {
        assertThrows(MalformedMessageException.class, () -> route(new CommandCompleted(PRIMARY, COMMAND, "PromoteDataset",
                "promoted", VM1, "vm storage; rm -rf /")));
        assertThrows(MalformedMessageException.class, () -> route(new CommandCompleted(PRIMARY, COMMAND, "PromoteDataset",
                "promoted", null, "vm-storage")));
    }

    @Test
    void aCommandOutcomeAboutNoDatasetOnlyFeedsTheLiveFacts() {
        assertEquals(List.of(), route(new CommandCompleted(PRIMARY, COMMAND, "ForgetLink", "forgotten")));
        CommandRejected rejected = new CommandRejected(PRIMARY, COMMAND, "ForgetLink", "unknown link");
        assertEquals(List.of(), route(rejected));
        assertEquals(List.of(rejected), seen);
    }

    @Test
    void aFactUnderAnotherServersKeyIsMalformedAndChangesNothing() {
        AgentHeartbeat heartbeat = new AgentHeartbeat(PRIMARY, 4, AT);
        for (String key : new String[]{"standby", "", null}) {
            MalformedMessageException e = assertThrows(MalformedMessageException.class,
                    () -> router.commandsFor(key, envelope(heartbeat)));
            assertTrue(e.getMessage().contains("primary"), e.getMessage());
        }
        assertThrows(MalformedMessageException.class, () -> router.commandsFor("standby",
                envelope(new PoolHealthReported(PRIMARY, PoolName.of("tank"), PoolHealth.ONLINE, 1, 1, 1, 0, 0, 0, "", AT))));
        assertEquals(List.of(), seen, "a refused fact does not reach the live facts either");
    }

    @Test
    void aMessageThatIsNoAgentFactIsMalformed() {
        assertThrows(MalformedMessageException.class, () -> router.commandsFor("primary",
                envelope(new ForgetLink(COMMAND, PRIMARY, 1, VM1, LINK.toString()))));
    }
}
