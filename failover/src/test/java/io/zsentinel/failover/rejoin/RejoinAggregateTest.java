package io.zsentinel.failover.rejoin;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.RescueNames;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.BeginRejoin;
import io.zsentinel.failover.api.CommonSnapshot;
import io.zsentinel.failover.api.DatasetRejoinOrdered;
import io.zsentinel.failover.api.DatasetRolledBack;
import io.zsentinel.failover.api.DivergenceKept;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.RecordRejoinOutcome;
import io.zsentinel.failover.api.RejoinCompleted;
import io.zsentinel.failover.api.RejoinEvent;
import io.zsentinel.failover.api.RejoinFailed;
import io.zsentinel.failover.api.RejoinPlan;
import io.zsentinel.failover.api.RejoinStarted;
import io.zsentinel.failover.api.ReleaseRescueOrder;
import io.zsentinel.failover.api.RescueReleaseOrdered;
import io.zsentinel.failover.api.RescueReleased;
import io.zsentinel.failover.api.ServiceName;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The Rejoin aggregate, each branch: given the history, the command, the events or the refusal with its reason. */
class RejoinAggregateTest {
    static final ServiceName VM = ServiceName.of("vm-storage");
    static final ServerId OLD = new ServerId("storage-01");
    static final ServerId NEW = new ServerId("standby-01");
    static final String ID = RejoinEvent.rejoinId(VM, OLD);
    static final DatasetName VM1 = DatasetName.of("tank/vm1");
    static final DatasetName COPY1 = DatasetName.of("standby/vm1");
    static final DatasetName VM2 = DatasetName.of("tank/vm2");
    static final DatasetName COPY2 = DatasetName.of("standby/vm2");
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final Instant T1 = T0.plusSeconds(5);
    static final OperatorOrder ALICE = new OperatorOrder("alice@ops", "storage-01 is repaired");
    static final Guid G1 = Guid.parse("111");
    static final Guid G2 = Guid.parse("222");

    private AggregateTestFixture<RejoinAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(RejoinAggregate.class);
    }

    static RejoinPlan diverged() {
        return new RejoinPlan(VM1, COPY1, common(VM1, "s1", G1), List.of("s2"), 4096L, "referenced difference", false);
    }

    static RejoinPlan quiet(DatasetName dataset, DatasetName copy, Guid guid) {
        return new RejoinPlan(dataset, copy, common(dataset, "final", guid), List.of(), 0L, "read-only since", true);
    }

    static CommonSnapshot common(DatasetName dataset, String name, Guid guid) {
        return new CommonSnapshot(dataset, dataset.snapshot(name), guid, T0.minusSeconds(600));
    }

    static BeginRejoin begin(String health, boolean formerPrimary, RejoinPlan... plans) {
        return new BeginRejoin(VM, OLD, NEW, 2, health, formerPrimary, false, List.of(plans), ALICE, T0);
    }

    /** The events a started rejoin of {@code plans} records, as the decider makes them. */
    static List<RejoinEvent> started(RejoinPlan... plans) {
        return RejoinDecider.decide(RejoinState.initial(), begin("healthy", true, plans));
    }

    static UUID orderOf(List<RejoinEvent> events, DatasetName dataset) {
        return events.stream().filter(e -> e instanceof DatasetRejoinOrdered o && o.dataset().equals(dataset))
                .map(e -> ((DatasetRejoinOrdered) e).commandId()).findFirst().orElseThrow();
    }

    @Test
    void withDivergenceTheDivergentStateIsKeptThenTheDatasetRolledBackAndTheRejoinCompletes() {
        RejoinPlan plan = diverged();
        List<RejoinEvent> started = started(plan);
        DatasetRejoinOrdered order = (DatasetRejoinOrdered) started.get(1);
        DatasetName rescue = RescueNames.rescueOf(VM1, T0);
        assertEquals(rescue, order.rescue(), "what lies after the common snapshot is kept");
        assertEquals(VM1.snapshot("s1"), order.common());
        assertEquals(G1, order.commonGuid());

        fixture.givenNoPriorActivity()
                .when(begin("healthy", true, plan))
                .expectEvents(new RejoinStarted(VM, OLD, NEW, 2, List.of(plan), ALICE, T0), order);
        fixture.given(started)
                .when(new RecordRejoinOutcome(ID, OLD, VM1, order.commandId(), true, "kept", T1))
                .expectEvents(
                        new DivergenceKept(VM, OLD, VM1, rescue, VM1.snapshot("s1"), List.of("s2"), 4096L, T1),
                        new DatasetRolledBack(VM, OLD, VM1, VM1.snapshot("s1"), "kept", T1),
                        new RejoinCompleted(VM, OLD, NEW, 2, List.of(new RejoinCompleted.Rejoined(VM1, COPY1)), T1));
    }

    @Test
    void withoutDivergenceNothingIsKeptAndTheRejoinCompletesWhenEveryDatasetIsBack() {
        RejoinPlan one = quiet(VM1, COPY1, G1);
        RejoinPlan two = quiet(VM2, COPY2, G2);
        List<RejoinEvent> started = started(one, two);
        started.stream().filter(DatasetRejoinOrdered.class::isInstance)
                .forEach(e -> assertNull(((DatasetRejoinOrdered) e).rescue(), "nothing to keep: " + e));
        UUID first = orderOf(started, VM1);
        UUID second = orderOf(started, VM2);
        List<Object> history = new ArrayList<>(started);
        history.add(new DatasetRolledBack(VM, OLD, VM1, VM1.snapshot("final"), "rolled back", T1));

        fixture.given(started)
                .when(new RecordRejoinOutcome(ID, OLD, VM1, first, true, "rolled back", T1))
                .expectEvents(new DatasetRolledBack(VM, OLD, VM1, VM1.snapshot("final"), "rolled back", T1));
        fixture.given(history)
                .when(new RecordRejoinOutcome(ID, OLD, VM2, second, true, "rolled back", T1))
                .expectEvents(new DatasetRolledBack(VM, OLD, VM2, VM2.snapshot("final"), "rolled back", T1),
                        new RejoinCompleted(VM, OLD, NEW, 2, List.of(new RejoinCompleted.Rejoined(VM1, COPY1),
                                new RejoinCompleted.Rejoined(VM2, COPY2)), T1));
        // a repeated answer waits for nothing any more
        fixture.given(history)
                .when(new RecordRejoinOutcome(ID, OLD, VM1, first, true, "rolled back", T1))
                .expectNoEvents();
    }

    @Test
    void noCommonSnapshotIsRefusedWithTheReason() {
        RejoinPlan none = new RejoinPlan(VM1, COPY1, null, List.of("s1", "s2"), null, "unknown on this zfs", false);
        fixture.givenNoPriorActivity()
                .when(begin("healthy", true, none))
                .expectException(RejoinRefused.class)
                .expectExceptionMessage(allOf(containsString("no snapshot in common (by guid)"),
                        containsString("full resend")));
    }

    @Test
    void aServerStillFailedOrUnreachableIsRefused() {
        fixture.givenNoPriorActivity()
                .when(begin("failed", true, diverged()))
                .expectException(RejoinRefused.class)
                .expectExceptionMessage(containsString("storage-01 is failed: its agent does the rejoin"));
        fixture.givenNoPriorActivity()
                .when(begin("suspect", true, diverged()))
                .expectException(RejoinRefused.class)
                .expectExceptionMessage(containsString("storage-01 is suspect"));
    }

    @Test
    void aServerThatIsNoFormerPrimaryOrARunningRejoinOrFailoverIsRefused() {
        fixture.givenNoPriorActivity()
                .when(begin("healthy", false, diverged()))
                .expectException(RejoinRefused.class)
                .expectExceptionMessage(containsString("no failover or switchover took vm-storage away"));
        fixture.given(started(diverged()))
                .when(begin("healthy", true, diverged()))
                .expectException(RejoinRefused.class)
                .expectExceptionMessage(containsString("is under way"));
        fixture.givenNoPriorActivity()
                .when(new BeginRejoin(VM, OLD, NEW, 2, "healthy", true, true, List.of(diverged()), ALICE, T0))
                .expectException(RejoinRefused.class)
                .expectExceptionMessage(containsString("a failover of vm-storage is running"));
    }

    @Test
    void aRefusedDatasetFailsTheRejoinAndItMayBeOrderedAgainWithNewCommandIds() {
        List<RejoinEvent> started = started(diverged());
        UUID order = orderOf(started, VM1);
        RejoinFailed failed = new RejoinFailed(VM, OLD, VM1, "s1 does not exist", T1);
        fixture.given(started)
                .when(new RecordRejoinOutcome(ID, OLD, VM1, order, false, "s1 does not exist", T1))
                .expectEvents(failed);
        List<Object> history = new ArrayList<>(started);
        history.add(failed);
        fixture.given(history)
                .when(begin("healthy", true, diverged()))
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.payloadsMatching(
                        org.axonframework.test.matchers.Matchers.exactSequenceOf(
                                org.axonframework.test.matchers.Matchers.predicate(RejoinStarted.class::isInstance),
                                org.axonframework.test.matchers.Matchers.predicate(e -> e instanceof DatasetRejoinOrdered o
                                        && !o.commandId().equals(order)),
                                org.axonframework.test.matchers.Matchers.andNoMore())));
    }

    @Test
    void onlyAnOperatorReleasesAKeptRescueAndARefusedReleaseKeepsIt() {
        List<Object> history = new ArrayList<>(started(diverged()));
        UUID order = orderOf(started(diverged()), VM1);
        DatasetName rescue = RescueNames.rescueOf(VM1, T0);
        history.addAll(RejoinDecider.decide(replay(history), new RecordRejoinOutcome(ID, OLD, VM1, order, true, "kept",
                T1)));
        OperatorOrder bob = new OperatorOrder("bob@ops", "copied what we needed");
        Instant t2 = T1.plusSeconds(60);
        List<RejoinEvent> ordered = RejoinDecider.decide(replay(history), new ReleaseRescueOrder(ID, rescue, bob, t2));
        RescueReleaseOrdered release = (RescueReleaseOrdered) ordered.get(0);
        assertEquals(VM1, release.rescuedFrom());

        fixture.given(history)
                .when(new ReleaseRescueOrder(ID, rescue, bob, t2))
                .expectEvents(release);
        fixture.given(history)
                .when(new ReleaseRescueOrder(ID, DatasetName.of("tank/zsentinel-rescue/other-1"), bob, t2))
                .expectException(RejoinRefused.class)
                .expectExceptionMessage(containsString("zsentinel rescue list"));
        history.add(release);
        fixture.given(history)
                .when(new RecordRejoinOutcome(ID, OLD, rescue, release.commandId(), false, "busy", t2))
                .expectEvents(new RescueReleased(VM, OLD, rescue, false, "busy", t2));
        List<Object> refused = new ArrayList<>(history);
        refused.add(new RescueReleased(VM, OLD, rescue, false, "busy", t2));
        assertEquals(1, replay(refused).kept().size(), "a refused release keeps the rescue");
        history.add(new RescueReleased(VM, OLD, rescue, true, "destroyed", t2));
        fixture.given(history)
                .when(new ReleaseRescueOrder(ID, rescue, bob, t2.plusSeconds(1)))
                .expectException(RejoinRefused.class);
    }

    private static RejoinState replay(List<Object> events) {
        RejoinState state = RejoinState.initial();
        for (Object e : events) {
            state = RejoinDecider.evolve(state, (RejoinEvent) e);
        }
        return state;
    }
}
