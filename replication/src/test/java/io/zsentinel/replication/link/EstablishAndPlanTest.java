package io.zsentinel.replication.link;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.CheckStall;
import io.zsentinel.replication.api.link.EstablishAndPlan;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkCommand;
import io.zsentinel.replication.api.link.LinkEvent;
import io.zsentinel.replication.api.link.LinkPaused;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.LinkRetired;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.PlanReplication;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.zsentinel.replication.link.Links.ALICE;
import static io.zsentinel.replication.link.Links.LINK;
import static io.zsentinel.replication.link.Links.SOURCE;
import static io.zsentinel.replication.link.Links.established;
import static io.zsentinel.replication.link.Links.plan;
import static io.zsentinel.replication.link.ReplicationLinkAggregateTest.SCHEDULED_A;
import static io.zsentinel.replication.link.ReplicationLinkAggregateTest.STARTED;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.A;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.B;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 10, the first pass's one command per link: EstablishAndPlan creates a link if missing and decides exactly what
 * EstablishLink, PlanReplication and CheckStall would one after another, so a link's history reads the same.
 */
class EstablishAndPlanTest {
    private static EstablishAndPlan establishAndPlan(Instant now) {
        return new EstablishAndPlan(Links.establish(), plan(now, List.of(A), List.of()));
    }

    /** The events of the three commands sent one after another on the state {@code history} leaves. */
    private static List<LinkEvent> oneAfterAnother(List<LinkEvent> history, EstablishAndPlan c) {
        ReplicationLinkState state = fold(ReplicationLinkState.initial(LINK), history);
        List<LinkEvent> events = new ArrayList<>();
        for (LinkCommand step : List.of(c.establish(), c.plan(), new CheckStall(LINK, c.plan().now()))) {
            List<LinkEvent> decided = ReplicationLinkDecider.decide(state, step);
            state = fold(state, decided);
            events.addAll(decided);
        }
        return events;
    }

    private static ReplicationLinkState fold(ReplicationLinkState state, List<LinkEvent> events) {
        for (LinkEvent e : events) {
            state = ReplicationLinkDecider.evolve(state, e);
        }
        return state;
    }

    @Test
    void aNewLinkIsCreatedWithItsEstablishmentFirstThenItsFirstTransfer() {
        new AggregateTestFixture<>(ReplicationLinkAggregate.class)
                .givenNoPriorActivity()
                .when(establishAndPlan(at(0)))
                .expectSuccessfulHandlerExecution()
                .expectEvents(established(), SCHEDULED_A, STARTED)
                .expectResultMessagePayload(ReplicationLinkDecider.nextLook(
                        fold(ReplicationLinkState.initial(LINK), List.of(established(), SCHEDULED_A, STARTED)),
                        plan(at(0), List.of(A), List.of())));
    }

    @Test
    void anEstablishedLinkWithTheSameSettingsIsOnlyPlanned() {
        new AggregateTestFixture<>(ReplicationLinkAggregate.class)
                .given(established())
                .when(establishAndPlan(at(0)))
                .expectSuccessfulHandlerExecution()
                .expectEvents(SCHEDULED_A, STARTED);
    }

    @Test
    void itDecidesWhatTheThreeCommandsWouldOneAfterAnother() {
        EstablishAndPlan now = establishAndPlan(at(0));
        EstablishAndPlan muchLater = new EstablishAndPlan(Links.establish(), plan(at(3_600), List.of(A, B), List.of()));
        EstablishAndPlan otherSettings = new EstablishAndPlan(new EstablishLink(SOURCE, LINK.target().server(),
                LINK.target().dataset(), Duration.ofHours(1), LinkPolicy.defaults(), at(0)), plan(at(0), List.of(A), List.of()));
        List<List<LinkEvent>> histories = List.of(
                List.of(),
                List.of(established()),
                List.of(established(), SCHEDULED_A, STARTED), // in flight: stalled an hour later
                List.of(established(), new LinkPaused(LINK, ALICE, "maintenance", at(0))),
                List.of(established(), new LinkRetired(LINK, SOURCE, null, "rule removed", at(0))));
        for (List<LinkEvent> history : histories) {
            for (EstablishAndPlan c : List.of(now, muchLater, otherSettings)) {
                assertEquals(oneAfterAnother(history, c),
                        ReplicationLinkDecider.decide(fold(ReplicationLinkState.initial(LINK), history), c),
                        "after " + history + ", " + c);
            }
        }
    }

    @Test
    void itIsRefusedForTwoDifferentLinks() {
        PlanReplication other = new PlanReplication(new LinkId(SOURCE,
                new DatasetId(ServerId.of("offsite"), DatasetName.of("dr/vm1"))), List.of(A), List.of(), false, at(0));
        assertThrows(IllegalArgumentException.class, () -> new EstablishAndPlan(Links.establish(), other));
    }
}
