package io.zsentinel.projections.service;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.DatasetPromoted;
import io.zsentinel.failover.api.DatasetPromotion;
import io.zsentinel.failover.api.FailoverAborted;
import io.zsentinel.failover.api.FailoverAcknowledged;
import io.zsentinel.failover.api.FailoverCandidateEvaluated;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.FailoverRefused;
import io.zsentinel.failover.api.FailoverStarted;
import io.zsentinel.failover.api.FailoverStep;
import io.zsentinel.failover.api.HookKind;
import io.zsentinel.failover.api.HookRan;
import io.zsentinel.failover.api.HookRequested;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.PrimaryFenced;
import io.zsentinel.failover.api.PromotionRequested;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.ServiceRegistered;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.failover.api.StandbyChosen;
import io.zsentinel.failover.detect.Health;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServicesViewTest {
    private static final ServiceName VM = ServiceName.of("vm-storage");
    private static final ServerId PRIMARY = new ServerId("storage-01");
    private static final ServerId STANDBY = new ServerId("standby-01");
    private static final DatasetName VM1 = new DatasetName("tank/vm1");
    private static final Instant T0 = Instant.parse("2026-11-30T03:12:00Z");
    private static final FailoverId F1 = new FailoverId(UUID.fromString("00000000-0000-0000-0000-000000000001"));

    private final ServicesView view = new ServicesView();

    @Test
    void aRegisteredServiceIsServedByItsPrimaryAtGenerationOne() {
        view.on(registered());
        ServiceRow row = view.find(VM).orElseThrow();
        assertEquals(PRIMARY, row.primary());
        assertEquals(List.of(STANDBY), row.standbys());
        assertEquals(1, row.generation());
        assertEquals(ServiceRow.SERVING, row.state());
        assertEquals(List.of(VM), view.servedBy(PRIMARY));
    }

    @Test
    void aFailoverMovesThePrimaryRecordsEveryStepAndBlocksUntilAcknowledged() {
        view.on(registered());
        view.on(evaluated());
        view.on(new StandbyChosen(VM, PRIMARY, STANDBY, Duration.ofMinutes(2), "first eligible", null, T0));
        view.on(started());
        ServiceRow running = view.find(VM).orElseThrow();
        assertEquals(ServiceRow.FAILING_OVER, running.state());
        assertEquals(FailoverStep.FENCING, running.step());
        assertEquals(T0.plusSeconds(300), running.deadline());

        view.on(new HookRequested(VM, F1, HookKind.FENCE, PRIMARY, 2, T0.plusSeconds(1)));
        view.on(new HookRan(VM, F1, HookKind.FENCE, PRIMARY, true, "exit status 0 in 12 ms", T0.plusSeconds(2)));
        view.on(new PrimaryFenced(VM, F1, PRIMARY, false, "fence hook succeeded", T0.plusSeconds(2)));
        assertEquals(FailoverStep.PROMOTING, view.find(VM).orElseThrow().step());
        UUID command = UUID.randomUUID();
        view.on(new PromotionRequested(VM, F1, STANDBY, VM1, 2, null, command, 1, T0.plusSeconds(2)));
        view.on(new DatasetPromoted(VM, F1, STANDBY, VM1, command, "promoted", T0.plusSeconds(3)));
        view.on(new HookRequested(VM, F1, HookKind.PROMOTE, STANDBY, 2, T0.plusSeconds(3)));
        assertEquals(FailoverStep.SWITCHING, view.find(VM).orElseThrow().step());
        ServiceSwitched switched = new ServiceSwitched(VM, F1, PRIMARY, STANDBY, 2, List.of(VM1), T0.plusSeconds(4));
        view.on(switched);
        view.on(switched); // redelivered: applied once

        ServiceRow after = view.find(VM).orElseThrow();
        assertEquals(STANDBY, after.primary());
        assertEquals(2, after.generation());
        assertEquals(ServiceRow.BLOCKED, after.state());
        assertTrue(after.blockedBy().contains("not acknowledged"), after.blockedBy());
        assertNull(after.failover());
        assertEquals(List.of(VM), view.servedBy(STANDBY));
        assertEquals(List.of(), view.servedBy(PRIMARY));

        FailoverSummary f = view.failover(F1).orElseThrow();
        assertEquals(FailoverSummary.SWITCHED, f.outcome());
        assertEquals(T0.plusSeconds(4), f.ended());
        assertEquals(List.of("FailoverCandidateEvaluated", "StandbyChosen", "FailoverStarted", "HookRequested", "HookRan",
                "PrimaryFenced", "PromotionRequested", "DatasetPromoted", "HookRequested", "ServiceSwitched"),
                f.steps().stream().map(FailoverSummary.Step::event).toList());
        assertEquals(f, after.lastFailover());

        view.on(new FailoverAcknowledged(VM, new OperatorOrder("alice", "checked"), T0.plusSeconds(60)));
        assertEquals(ServiceRow.SERVING, view.find(VM).orElseThrow().state());
    }

    @Test
    void aRefusedFailoverIsKeptWithItsEvaluationsOnceAndTheServiceStaysPut() {
        view.on(registered());
        view.on(evaluated());
        FailoverRefused refused = new FailoverRefused(VM, PRIMARY, List.of("standby-01: not eligible"), null, T0);
        view.on(refused);
        view.on(refused);
        List<FailoverSummary> failovers = view.failovers(VM);
        assertEquals(1, failovers.size());
        assertEquals(FailoverSummary.REFUSED, failovers.get(0).outcome());
        assertEquals(List.of("FailoverCandidateEvaluated", "FailoverRefused"),
                failovers.get(0).steps().stream().map(FailoverSummary.Step::event).toList());
        assertEquals(PRIMARY, view.primaryOf(VM).orElseThrow());
        assertEquals(ServiceRow.SERVING, view.find(VM).orElseThrow().state());
    }

    @Test
    void anAbortedFailoverLeavesThePrimaryAndBlocks() {
        view.on(registered());
        view.on(started());
        view.on(new FailoverAborted(VM, F1, FailoverStep.FENCING, "no fence and the lease has not lapsed", T0.plusSeconds(300)));
        ServiceRow row = view.find(VM).orElseThrow();
        assertEquals(PRIMARY, row.primary());
        assertEquals(1, row.generation());
        assertEquals(ServiceRow.BLOCKED, row.state());
        assertEquals(FailoverSummary.ABORTED, view.failover(F1).orElseThrow().outcome());
    }

    @Test
    void aSwitchoverIsFollowedStepByStepMovesThePrimaryAndBlocksNothing() {
        view.on(registered());
        view.on(switchoverStarted());
        assertEquals(ServiceRow.FAILING_OVER, view.find(VM).orElseThrow().state());
        assertEquals(FailoverStep.DEMOTING, view.switchovers().get(0).step());
        view.on(new io.zsentinel.failover.api.FinalSnapshotRequested(VM, F1, PRIMARY, VM1.snapshot("zsentinel-switchover-2"),
                UUID.randomUUID(), T0.plusSeconds(1)));
        assertEquals(FailoverStep.SNAPSHOTTING, view.find(VM).orElseThrow().step());
        view.on(new ServiceSwitched(VM, F1, PRIMARY, STANDBY, 2, List.of(VM1), T0.plusSeconds(5)));
        view.on(new io.zsentinel.failover.api.SwitchoverCompleted(VM, F1, PRIMARY, STANDBY, 2, BOB, T0.plusSeconds(5)));
        ServiceRow row = view.find(VM).orElseThrow();
        assertEquals(STANDBY, row.primary());
        assertEquals(ServiceRow.SERVING, row.state(), "a planned switchover blocks nothing");
        assertNull(row.blockedBy());
        assertEquals(FailoverSummary.SWITCHED, view.switchovers().get(0).outcome());
    }

    @Test
    void aSwitchoverAbortedBeforeThePromotionLeavesTheOldPrimaryServingAtTheNewerGeneration() {
        view.on(registered());
        view.on(switchoverStarted());
        view.on(new io.zsentinel.failover.api.SwitchoverAborted(VM, F1, FailoverStep.DEMOTING, "the demote hook failed",
                PRIMARY, 3, T0.plusSeconds(2)));
        ServiceRow row = view.find(VM).orElseThrow();
        assertEquals(PRIMARY, row.primary());
        assertEquals(3, row.generation());
        assertEquals(ServiceRow.SERVING, row.state());
        assertEquals(FailoverSummary.ABORTED, view.switchovers().get(0).outcome());
    }

    private static final OperatorOrder BOB = new OperatorOrder("bob@ops", "disk firmware");

    private static io.zsentinel.failover.api.SwitchoverStarted switchoverStarted() {
        return new io.zsentinel.failover.api.SwitchoverStarted(VM, F1, PRIMARY, STANDBY, 2, List.of(new DatasetPromotion(
                VM1, VM1.snapshot("zsentinel-switchover-2"))), T0.plusSeconds(120), BOB, T0);
    }

    @Test
    void aResetForgetsEverything() {
        view.on(registered());
        view.on(started());
        view.reset();
        assertEquals(List.of(), view.services());
        assertTrue(view.failover(F1).isEmpty());
    }

    private static ServiceRegistered registered() {
        return new ServiceRegistered(VM, PRIMARY, List.of(STANDBY), 1, T0.minusSeconds(3600));
    }

    private static FailoverCandidateEvaluated evaluated() {
        return new FailoverCandidateEvaluated(VM, PRIMARY, STANDBY, 1, Health.HEALTHY, false, List.of(),
                Duration.ofMinutes(2), Duration.ofMinutes(15), Set.of(), "eligible", T0);
    }

    private static FailoverStarted started() {
        return new FailoverStarted(VM, F1, PRIMARY, STANDBY, 2, List.of(new DatasetPromotion(VM1, null)),
                T0.plusSeconds(20), T0.plusSeconds(300), null, T0);
    }
}
