package io.zsentinel.replication.link;

import io.zsentinel.replication.api.link.BaseChanged;
import io.zsentinel.replication.api.link.DivergenceResolutionOrdered;
import io.zsentinel.replication.api.link.LinkPaused;
import io.zsentinel.replication.api.link.LinkState;
import io.zsentinel.replication.api.link.LinkStateChanged;
import io.zsentinel.replication.api.link.PauseLink;
import io.zsentinel.replication.api.link.RecordTransferCompleted;
import io.zsentinel.replication.api.link.RecordTransferFailed;
import io.zsentinel.replication.api.link.RecordTransferProgress;
import io.zsentinel.replication.api.link.ReplicationFailed;
import io.zsentinel.replication.api.link.LinkRetired;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.api.link.RetireLink;
import io.zsentinel.replication.api.link.ReplicationSucceeded;
import io.zsentinel.replication.api.link.ResolveDivergence;
import io.zsentinel.replication.api.link.SnapshotRef;
import io.zsentinel.replication.api.link.TargetDiverged;
import io.zsentinel.replication.api.link.TransferProgressRecorded;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.zsentinel.replication.link.Links.ALICE;
import static io.zsentinel.replication.link.Links.LINK;
import static io.zsentinel.replication.link.Links.SOURCE;
import static io.zsentinel.replication.link.Links.established;
import static io.zsentinel.replication.link.Links.plan;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.A;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.A_ON_TARGET;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.B;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.at;
import static io.zsentinel.replication.link.ReplicationPlannerTest.T0;
import static io.zsentinel.replication.link.ReplicationPlannerTest.dst;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;

/** The Axon shell, as specifications: given events, when a command, expect events. */
class ReplicationLinkAggregateTest {
    private AggregateTestFixture<ReplicationLinkAggregate> fixture;

    static final ReplicationLinkState ESTABLISHED =
            ReplicationLinkDecider.evolve(ReplicationLinkState.initial(LINK), established());
    /** The full send of A, attempt 1. */
    static final UUID FULL_A = ReplicationLinkDecider.transferId(ESTABLISHED, null, SnapshotRef.of(A), 1);
    static final ReplicationScheduled SCHEDULED_A =
            new ReplicationScheduled(LINK, FULL_A, null, SnapshotRef.of(A), false, null, false, 1, at(0), false,
                    Links.POLICY.transfer());
    static final LinkStateChanged STARTED = new LinkStateChanged(LINK, LinkState.LAGGING, LinkState.TRANSFERRING, at(0));
    static final ReplicationSucceeded SUCCEEDED_A = new ReplicationSucceeded(LINK, FULL_A, SnapshotRef.of(A), 0, at(60));
    static final BaseChanged BASE_A = new BaseChanged(LINK, SOURCE, null, SnapshotRef.of(A), at(60));
    static final LinkStateChanged SYNCED = new LinkStateChanged(LINK, LinkState.TRANSFERRING, LinkState.IN_SYNC, at(60));

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ReplicationLinkAggregate.class);
    }

    @Test
    void establishingCreatesTheLink() {
        fixture.givenNoPriorActivity()
                .when(Links.establish())
                .expectSuccessfulHandlerExecution()
                .expectEvents(established());
    }

    @Test
    void aLinkTakenOutOfTheConfigurationReleasesItsBaseOnce() {
        fixture.given(established(), SCHEDULED_A, STARTED, SUCCEEDED_A, BASE_A, SYNCED)
                .when(new RetireLink(LINK, "rule removed", at(100)))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new LinkRetired(LINK, SOURCE, A.guid(), "rule removed", at(100)));
        fixture.given(established(), SCHEDULED_A, STARTED, SUCCEEDED_A, BASE_A, SYNCED,
                        new LinkRetired(LINK, SOURCE, A.guid(), "rule removed", at(100)))
                .when(new RetireLink(LINK, "rule removed", at(110)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aRedeliveredEstablishChangesNothing() {
        fixture.given(established())
                .when(Links.establish())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void theFirstPlanSchedulesAFullSend() {
        fixture.given(established())
                .when(plan(at(0), List.of(A), List.of()))
                .expectEvents(SCHEDULED_A, STARTED);
    }

    @Test
    void progressThenCompletionMovesTheBase() {
        fixture.given(established(), SCHEDULED_A, STARTED)
                .when(new RecordTransferProgress(LINK, FULL_A, 2048, at(30)))
                .expectEvents(new TransferProgressRecorded(LINK, FULL_A, 2048, at(30)));
        fixture.given(established(), SCHEDULED_A, STARTED)
                .when(new RecordTransferCompleted(LINK, FULL_A, A.guid(), at(60)))
                .expectEvents(SUCCEEDED_A, BASE_A, SYNCED);
    }

    @Test
    void aDuplicateCompletionIsIgnored() {
        fixture.given(established(), SCHEDULED_A, STARTED, SUCCEEDED_A, BASE_A, SYNCED)
                .when(new RecordTransferCompleted(LINK, FULL_A, A.guid(), at(61)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aFailureArrivingAfterTheSuccessIsIgnored() {
        fixture.given(established(), SCHEDULED_A, STARTED, SUCCEEDED_A, BASE_A, SYNCED)
                .when(new RecordTransferFailed(LINK, FULL_A, "broken pipe", null, at(59)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aFailureSchedulesItsRetryTime() {
        fixture.given(established(), SCHEDULED_A, STARTED)
                .when(new RecordTransferFailed(LINK, FULL_A, "broken pipe", "1-tok", at(30)))
                .expectEvents(new ReplicationFailed(LINK, FULL_A, "broken pipe", "1-tok", 1, at(40), at(30)),
                        new LinkStateChanged(LINK, LinkState.TRANSFERRING, LinkState.FAILING, at(30)));
    }

    @Test
    void theNextIncrementalFollowsTheInterval() {
        fixture.given(established(), SCHEDULED_A, STARTED, SUCCEEDED_A, BASE_A, SYNCED)
                .when(plan(at(60 + 900), List.of(A, B), List.of(A_ON_TARGET)))
                .expectEventsMatching(payloadsMatching(
                        exactSequenceOf(
                                instanceOf(ReplicationScheduled.class),
                                equalTo(new LinkStateChanged(LINK, LinkState.IN_SYNC,
                                        LinkState.TRANSFERRING, at(960))),
                                andNoMore())));
    }

    @Test
    void aDivergedLinkIgnoresPlansAndAcceptsOnlyTheOperatorsResolution() {
        TargetDiverged diverged = new TargetDiverged(LINK, "target has its own snapshot", SnapshotRef.of(A),
                List.of(SnapshotRef.of(dst("local", 9, 900))), at(2000));
        LinkStateChanged stopped = new LinkStateChanged(LINK, LinkState.IN_SYNC, LinkState.DIVERGED, at(2000));
        fixture.given(established(), SCHEDULED_A, STARTED, SUCCEEDED_A, BASE_A, SYNCED, diverged, stopped)
                .when(plan(at(9000), List.of(A, B), List.of(A_ON_TARGET, dst("local", 9, 900))))
                .expectNoEvents();
        fixture.given(established(), SCHEDULED_A, STARTED, SUCCEEDED_A, BASE_A, SYNCED, diverged, stopped)
                .when(new ResolveDivergence(LINK, true, ALICE, "ticket 42", at(9100)))
                .expectEvents(new DivergenceResolutionOrdered(LINK, SnapshotRef.of(A),
                                ALICE, "ticket 42", at(9100)),
                        new LinkStateChanged(LINK, LinkState.DIVERGED, LinkState.LAGGING, at(9100)));
    }

    @Test
    void pauseIsRecordedWithWhoAndWhy() {
        fixture.given(established())
                .when(new PauseLink(LINK, ALICE, "offsite maintenance", T0))
                .expectEvents(new LinkPaused(LINK, ALICE, "offsite maintenance", T0),
                        new LinkStateChanged(LINK, LinkState.LAGGING, LinkState.PAUSED, T0));
    }

    @Test
    void commandsForAnUnknownLinkFail() {
        fixture.givenNoPriorActivity()
                .when(plan(at(0), List.of(A), List.of()))
                .expectException(AggregateNotFoundException.class);
    }
}
