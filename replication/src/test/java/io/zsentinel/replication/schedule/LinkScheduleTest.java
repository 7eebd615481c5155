package io.zsentinel.replication.schedule;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.CheckStall;
import io.zsentinel.replication.api.link.EstablishAndPlan;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkCommand;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.RetireLink;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The replication ticker's rules on plain inputs: which links, which commands in which order, what to retire. */
class LinkScheduleTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final DatasetId SOURCE = new DatasetId(ServerId.of("primary"), DatasetName.of("tank/vm1"));
    static final DatasetId OTHER = new DatasetId(ServerId.of("primary"), DatasetName.of("scratch/tmp"));
    static final DatasetId TARGET = new DatasetId(ServerId.of("standby"), DatasetName.of("standby/vm1"));
    static final DatasetId OFFSITE = new DatasetId(ServerId.of("offsite"), DatasetName.of("dr/vm1"));
    static final LinkId LINK = new LinkId(SOURCE, TARGET);
    static final LinkId TO_OFFSITE = new LinkId(SOURCE, OFFSITE);
    static final ConfiguredLink CONFIGURED = new ConfiguredLink(LINK, Duration.ofMinutes(1));
    static final ConfiguredLink CONFIGURED_OFFSITE = new ConfiguredLink(TO_OFFSITE, Duration.ofHours(1));

    final Inventories.View view = new Inventories.View();
    final Inventories.Reports reports = new Inventories.Reports();
    final Map<LinkId, Long> linkVersions = new HashMap<>();
    /** Two rules make links from SOURCE, none from any other dataset. */
    final LinkSchedule schedule = new LinkSchedule(
            source -> source.equals(SOURCE) ? List.of(CONFIGURED, CONFIGURED_OFFSITE) : List.of(), view, reports,
            link -> linkVersions.getOrDefault(link, -1L));

    static SnapshotInfo snap(DatasetId on, String name, long guid) {
        return new SnapshotInfo(on.dataset().snapshot(name), new Guid(guid), guid, T0.plusSeconds(guid), 1, 1);
    }

    static List<String> types(List<LinkCommand> commands) {
        return commands.stream().map(c -> c.getClass().getSimpleName()).toList();
    }

    @Test
    void eachConfiguredLinkOfAKnownDatasetIsPlannedInTheConfigurationsOrder() {
        view.with(OTHER).with(SOURCE).with(TARGET);
        assertEquals(List.of(CONFIGURED, CONFIGURED_OFFSITE), schedule.linksToPlan(T0));
        assertEquals(List.of(), new LinkSchedule(source -> List.of(), view, reports, link -> -1).linksToPlan(T0),
                "no rule: no link");
    }

    /** Plans the link as the runtime does: its orders, all accepted, the link answering {@code lookAgainAt}. */
    void plannedAt(ConfiguredLink link, Instant now, Instant lookAgainAt) {
        plan(schedule.orders(link, now, null));
        schedule.planned(link.link(), now, lookAgainAt);
    }

    @Test
    void aLinkWhoseInputsDidNotChangeIsNotPlannedAgainUntilItIsDueByTime() {
        view.with(SOURCE, snap(SOURCE, "s1", 1)).with(TARGET);
        Instant due = T0.plus(Duration.ofMinutes(10));
        plannedAt(CONFIGURED, T0, due);
        plannedAt(CONFIGURED_OFFSITE, T0, null);

        assertEquals(List.of(), schedule.linksToPlan(T0.plusSeconds(30)), "nothing changed, nothing due");
        assertEquals(List.of(CONFIGURED), schedule.linksToPlan(due), "due by time alone: the link said when");
        assertEquals(List.of(CONFIGURED, CONFIGURED_OFFSITE), schedule.linksToPlan(T0.plus(LinkSchedule.LOOK_AT_LEAST_EVERY)),
                "at least every hour, even when the link named no time");
    }

    @Test
    void aLinkIsPlannedAgainWhenEitherSidesInventoryItsReportsOrItsOwnStateChanged() {
        view.with(SOURCE, snap(SOURCE, "s1", 1)).with(TARGET);
        Instant later = T0.plusSeconds(30);
        List<Runnable> changes = List.of(
                () -> view.with(SOURCE, snap(SOURCE, "s2", 2)),
                () -> view.changed(TARGET),
                () -> reports.with(SOURCE, T0, snap(SOURCE, "s1", 1)),
                () -> reports.with(TARGET, T0),
                () -> linkVersions.merge(LINK, 1L, Long::sum));
        for (Runnable change : changes) {
            plannedAt(CONFIGURED, T0, null);
            plannedAt(CONFIGURED_OFFSITE, T0, null);
            assertEquals(List.of(), schedule.linksToPlan(later));
            change.run();
            assertEquals(List.of(CONFIGURED), schedule.linksToPlan(later).stream().filter(CONFIGURED::equals).toList());
        }
    }

    @Test
    void aLinkWhoseOrdersFailedOrWereNotAllAcceptedStaysDue() {
        view.with(SOURCE, snap(SOURCE, "s1", 1));
        schedule.orders(CONFIGURED, T0, null); // never reported planned: a command failed or is pending
        assertEquals(List.of(CONFIGURED, CONFIGURED_OFFSITE), schedule.linksToPlan(T0));

        plannedAt(CONFIGURED, T0, null);
        schedule.failed(LINK);
        assertEquals(List.of(CONFIGURED, CONFIGURED_OFFSITE), schedule.linksToPlan(T0), "failed: planned again");
    }

    @Test
    void aLinkIsEstablishedOnceWithItsIntervalThenPlannedAndCheckedForAStall() {
        SnapshotInfo s1 = snap(SOURCE, "s1", 1);
        view.with(SOURCE, s1);
        List<LinkCommand> first = schedule.orders(CONFIGURED, T0, null);
        assertEquals(List.of(new EstablishAndPlan(new EstablishLink(SOURCE, TARGET.server(), TARGET.dataset(),
                        Duration.ofMinutes(1), LinkPolicy.defaults(), T0),
                new PlanReplication(LINK, List.of(s1), List.of(), null, T0, List.of(), null))), first,
                "established, planned and checked for a stall in one command");

        assertEquals(List.of(new PlanReplication(LINK, List.of(s1), List.of(), null, T0.plusSeconds(10), List.of(), null),
                new CheckStall(LINK, T0.plusSeconds(10))), schedule.orders(CONFIGURED, T0.plusSeconds(10), null),
                "established already");
        assertEquals(List.of("EstablishAndPlan"),
                types(schedule.orders(CONFIGURED_OFFSITE, T0, null)), "each link is established on its own");
    }

    @Test
    void aFailedOrderEstablishesTheLinkAgainWithTheNextOrders() {
        schedule.orders(CONFIGURED, T0, null);
        schedule.failed(LINK);
        assertEquals(List.of("EstablishLink", "PlanReplication", "CheckStall"), types(schedule.orders(CONFIGURED, T0, null)),
                "apart after a failure: the link is established even while its plans fail");
        schedule.planned(LINK, T0, null);
        schedule.retired(LINK);
        assertEquals(List.of("EstablishAndPlan"), types(schedule.orders(CONFIGURED, T0, null)), "together again once planned");
    }

    @Test
    void theTargetIsShownAsItsAgentLastReportedItWithTheReportsTimesAndTheSourcesBookmarks() {
        SnapshotInfo s1 = snap(SOURCE, "s1", 1), s2 = snap(SOURCE, "s2", 2);
        view.with(SOURCE, s1, s2).with(TARGET, snap(TARGET, "s1", 1));
        Instant written = T0.minusSeconds(5), reportedAt = T0.minusSeconds(3);
        BookmarkInfo mark = new BookmarkInfo(BookmarkName.parse("tank/vm1#zsentinel_s1"), new Guid(1), 1, T0);
        reports.reports.put(TARGET, new Inventories.Reports.Report(List.of(snap(TARGET, "s1", 1), snap(TARGET, "s2", 2)),
                List.of(), written, reportedAt));
        reports.reports.put(SOURCE, new Inventories.Reports.Report(List.of(s1, s2), List.of(mark), null, T0));

        PlanReplication plan = plan(schedule.orders(CONFIGURED, T0, null));
        assertEquals(new PlanReplication(LINK, List.of(s1, s2), List.of(snap(TARGET, "s1", 1), snap(TARGET, "s2", 2)),
                written, T0, List.of(mark), reportedAt), plan, "the report, fresher than the view");
    }

    @Test
    void aTargetNotReportedSinceTheStartIsShownAsTheViewHasIt() {
        SnapshotInfo t1 = snap(TARGET, "s1", 1);
        view.with(SOURCE, snap(SOURCE, "s1", 1)).with(TARGET, t1);
        PlanReplication plan = plan(schedule.orders(CONFIGURED, T0, null));
        assertEquals(List.of(t1), plan.targetSnapshots());
    }

    @Test
    void aSnapshotJustRecordedIsAddedToTheSourceUnlessTheViewHasItAlready() {
        SnapshotInfo s1 = snap(SOURCE, "s1", 1), s2 = snap(SOURCE, "s2", 2);
        view.with(SOURCE, s1);
        assertEquals(List.of(s1, s2), plan(schedule.orders(CONFIGURED, T0, s2)).sourceSnapshots());
        assertEquals(List.of(s1), plan(schedule.orders(CONFIGURED, T0, s1)).sourceSnapshots(), "not added twice");
    }

    @Test
    void aSourceViewBehindWhatTheTargetHoldsIsNotPlannedOnlyEstablished() {
        SnapshotInfo s1 = snap(SOURCE, "s1", 1), s2 = snap(SOURCE, "s2", 2);
        view.with(SOURCE, s1); // the view has not applied s2 yet
        reports.with(SOURCE, T0, s1, s2).with(TARGET, T0, snap(TARGET, "s1", 1), snap(TARGET, "s2", 2));
        assertEquals(List.of("EstablishLink"), types(schedule.orders(CONFIGURED, T0, null)));
        assertEquals(List.of(), schedule.orders(CONFIGURED, T0, null), "nothing until the view catches up");

        view.with(SOURCE, s2);
        assertEquals(List.of("PlanReplication", "CheckStall"), types(schedule.orders(CONFIGURED, T0, null)));
    }

    @Test
    void aTargetSnapshotTheSourceNeverReportedIsPlannedSoTheLinkCanSayDiverged() {
        SnapshotInfo s1 = snap(SOURCE, "s1", 1);
        view.with(SOURCE, s1);
        reports.with(SOURCE, T0, s1).with(TARGET, T0, snap(TARGET, "s1", 1), snap(TARGET, "own", 9));
        assertEquals(List.of(snap(TARGET, "s1", 1), snap(TARGET, "own", 9)),
                plan(schedule.orders(CONFIGURED, T0, null)).targetSnapshots());
    }

    @Test
    void aKnownLinkNoRuleMakesIsRetiredByTheConfigurationAloneAndEstablishedAgainIfConfiguredLater() {
        LinkId gone = new LinkId(SOURCE, new DatasetId(ServerId.of("offsite"), DatasetName.of("old/vm1")));
        LinkId fromOther = new LinkId(OTHER, TARGET);
        // the view is empty: retiring does not depend on it
        assertEquals(List.of(new RetireLink(gone, "no rule of the replication configuration makes this link", T0),
                        new RetireLink(fromOther, "no rule of the replication configuration makes this link", T0)),
                schedule.retirements(List.of(LINK, gone, TO_OFFSITE, fromOther), T0));

        schedule.orders(CONFIGURED, T0, null);
        schedule.retired(LINK);
        assertEquals(List.of("EstablishAndPlan"), types(schedule.orders(CONFIGURED, T0, null)));
    }

    static PlanReplication plan(List<LinkCommand> orders) {
        return orders.stream().map(o -> o instanceof EstablishAndPlan e ? e.plan() : o)
                .filter(PlanReplication.class::isInstance).map(PlanReplication.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no plan in " + orders));
    }
}
