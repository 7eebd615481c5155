package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.AssignRetentionPolicy;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.EvaluateRetention;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.api.PruneDecision;
import io.zsentinel.replication.api.PruneForCapacity;
import io.zsentinel.replication.api.RetentionPolicyChanged;
import io.zsentinel.replication.api.SnapshotHoldsChanged;
import io.zsentinel.replication.api.SnapshotProtected;
import io.zsentinel.replication.api.SnapshotPruned;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotScheduled;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;
import io.zsentinel.replication.retention.SnapshotNaming;
import io.zsentinel.replication.schedule.RetentionSchedule;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Due, expired and threshold pruning, and every "never prune" rule, as Axon fixture specifications. */
class DatasetRetentionTest {
    static final DatasetName DS = DatasetName.of("primary/vm1");
    static final DatasetId ID = new DatasetId(ServerId.of("primary"), DS);
    static final Instant DAY0 = Instant.parse("2026-11-01T00:00:00Z");
    /** 3 daily, nothing else, UTC, threshold 70%. */
    static final RetentionPolicy KEEP_3_DAILY = RetentionPolicy.defaults()
            .withOnlyKeep(Map.of(SnapshotClass.DAILY, 3));

    private static final org.hamcrest.Matcher<PruneDecision> REFUSED =
            new org.hamcrest.CustomTypeSafeMatcher<>("a refused prune with a reason") {
                @Override
                protected boolean matchesSafely(PruneDecision d) {
                    return !d.accepted() && !d.reason().isBlank();
                }
            };

    private AggregateTestFixture<DatasetAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(DatasetAggregate.class);
    }

    static SnapshotInfo daily(int day, long guid, long userRefs) {
        Instant slot = DAY0.plusSeconds(86_400L * day);
        return new SnapshotInfo(DS.snapshot(SnapshotNaming.name(SnapshotClass.DAILY, slot)), new Guid(guid),
                100 + day, slot, 1000, 5000, userRefs);
    }

    static SnapshotInfo foreign(String name, long guid, long txg) {
        return new SnapshotInfo(DS.snapshot(name), new Guid(guid), txg, DAY0, 1000, 5000, 0);
    }

    /** Registered, KEEP_3_DAILY, and daily snapshots of days 0..n-1 (guid = day + 1). */
    static List<Object> history(int n) {
        List<Object> events = new ArrayList<>(List.of(new DatasetRegistered(ID, DAY0),
                new RetentionPolicyChanged(ID, KEEP_3_DAILY, DAY0)));
        for (int day = 0; day < n; day++) {
            events.add(new SnapshotRecorded(ID, daily(day, day + 1, 0), null, DAY0.plusSeconds(86_400L * day)));
        }
        return events;
    }

    static Instant day(int day, int hour) {
        return DAY0.plusSeconds(86_400L * day + 3600L * hour);
    }

    @Test
    void theRetentionTickerLooksAgainWhenTheDatasetOrdersAgainWhatGotNoOutcome() {
        assertEquals(RetentionRules.RETRY_AFTER, RetentionSchedule.LOOK_AGAIN_AFTER,
                "an order re-issued later than the ticker's second look would wait for its hourly one");
    }

    @Test
    void aPolicyIsRecordedOnceAndOnlyWhenItChanges() {
        fixture.given(new DatasetRegistered(ID, DAY0))
                .when(new AssignRetentionPolicy(ID, KEEP_3_DAILY, DAY0))
                .expectEvents(new RetentionPolicyChanged(ID, KEEP_3_DAILY, DAY0));
        fixture.given(new DatasetRegistered(ID, DAY0), new RetentionPolicyChanged(ID, KEEP_3_DAILY, DAY0))
                .when(new AssignRetentionPolicy(ID, KEEP_3_DAILY, DAY0.plusSeconds(60)))
                .expectNoEvents();
    }

    @Test
    void theDueDailyIsScheduledOnceAndRetriedOnlyAfterTheRetryDelay() {
        Instant now = day(3, 1);
        var name = DS.snapshot(SnapshotNaming.name(SnapshotClass.DAILY, day(3, 0)));
        var commandId = CommandIds.of(ID, "take", name.shortName());
        SnapshotScheduled scheduled = new SnapshotScheduled(ID, SnapshotClass.DAILY, day(3, 0), name, commandId, now);
        List<Object> given = history(3);
        fixture.given(given).when(new EvaluateRetention(ID, now)).expectEvents(scheduled);

        given.add(scheduled);
        fixture.given(given).when(new EvaluateRetention(ID, now.plusSeconds(60))).expectNoEvents();
        Instant later = now.plus(RetentionRules.RETRY_AFTER).plusSeconds(1);
        fixture.given(given).when(new EvaluateRetention(ID, later))
                .expectEvents(new SnapshotScheduled(ID, SnapshotClass.DAILY, day(3, 0), name, commandId, later));
    }

    @Test
    void aReplicaTakesNothingOfItsOwnButItsReceivedSnapshotsStillExpire() {
        RetentionPolicy replica = KEEP_3_DAILY.withReceiveOnly(true);
        List<Object> given = history(4);
        given.set(1, new RetentionPolicyChanged(ID, replica, DAY0));
        SnapshotInfo oldest = daily(0, 1, 0);
        Instant now = day(5, 1); // a daily is due for the source, never for its copy
        fixture.given(given).when(new EvaluateRetention(ID, now))
                .expectEvents(new SnapshotPruned(ID, oldest.name(), oldest.guid(), "expired daily (keeping newest 3)",
                        CommandIds.of(ID, "prune", oldest.guid().toString()), now));
    }

    @Test
    void aControllerDownForDaysCatchesUpOnceNotOncePerMissedDay() {
        Instant now = day(9, 5);
        var name = DS.snapshot(SnapshotNaming.name(SnapshotClass.DAILY, day(9, 0)));
        fixture.given(history(3)).when(new EvaluateRetention(ID, now))
                .expectEvents(new SnapshotScheduled(ID, SnapshotClass.DAILY, day(9, 0), name,
                        CommandIds.of(ID, "take", name.shortName()), now));
    }

    @Test
    void theOldestBeyondTheCountIsPrunedWithItsReason() {
        Instant now = day(3, 12);
        SnapshotInfo oldest = daily(0, 1, 0);
        fixture.given(history(4)).when(new EvaluateRetention(ID, now))
                .expectEvents(new SnapshotPruned(ID, oldest.name(), oldest.guid(), "expired daily (keeping newest 3)",
                        CommandIds.of(ID, "prune", oldest.guid().toString()), now));
    }

    @Test
    void countRulesNeverPruneHeldCheckpointedOrReplicationProtectedSnapshots() {
        Instant now = day(5, 12);
        List<Object> given = history(6); // days 0..5: 0, 1 and 2 expire
        given.add(new SnapshotHoldsChanged(ID, new Guid(1), 1, now));                          // user hold
        given.add(new SnapshotProtected(ID, daily(1, 2, 0).name(), new Guid(2), "link:standby", ProtectionKind.AWAITING)); // not yet received
        given.add(new SnapshotProtected(ID, daily(2, 3, 0).name(), new Guid(3), "link:offsite", ProtectionKind.BASE));    // common base
        fixture.given(given).when(new EvaluateRetention(ID, now)).expectNoEvents();
    }

    @Test
    void usageOverTheThresholdPrunesTheGivenOldestAndSaysWhy() {
        Instant now = day(2, 12);
        SnapshotInfo oldest = daily(0, 1, 0);
        fixture.given(history(3))
                .when(new PruneForCapacity(ID, oldest.guid(), 74, now))
                .expectEvents(new SnapshotPruned(ID, oldest.name(), oldest.guid(),
                        "pool usage 74% > 70%: oldest prunable snapshot",
                        CommandIds.of(ID, "prune", oldest.guid().toString()), now))
                .expectResultMessagePayload(PruneDecision.accepted("pool usage 74% > 70%: oldest prunable snapshot"));
    }

    @Test
    void aFullPoolMayPruneASnapshotATargetStillAwaitsAndSaysWhichTargetLosesItsBase() {
        Instant now = day(2, 12);
        SnapshotInfo oldest = daily(0, 1, 0);
        List<Object> given = history(3);
        given.add(new SnapshotProtected(ID, oldest.name(), oldest.guid(), "link:offsite", ProtectionKind.AWAITING));
        String reason = "pool usage 91% > 70%: oldest prunable snapshot; link:offsite loses its incremental base"
                + " and will need a full resend";
        fixture.given(given).when(new PruneForCapacity(ID, oldest.guid(), 91, now))
                .expectEvents(new SnapshotPruned(ID, oldest.name(), oldest.guid(), reason,
                        CommandIds.of(ID, "prune", oldest.guid().toString()), now));
    }

    @Test
    void aFullPoolNeverPrunesTheNewestAHeldABaseOrAForeignSnapshot() {
        Instant now = day(2, 12);
        List<Object> given = history(3);
        given.add(new SnapshotHoldsChanged(ID, new Guid(1), 1, now));
        given.add(new SnapshotProtected(ID, daily(1, 2, 0).name(), new Guid(2), "link:standby", ProtectionKind.BASE));
        SnapshotInfo manual = foreign("manual-1", 50, 50); // older than all dailies
        given.add(new SnapshotRecorded(ID, manual, null, now));
        for (Guid guid : List.of(new Guid(1), new Guid(2), new Guid(3), manual.guid())) {
            fixture.given(given).when(new PruneForCapacity(ID, guid, 95, now))
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(REFUSED);
        }
    }

    @Test
    void usageAtTheThresholdIsNotOverIt() {
        fixture.given(history(3)).when(new PruneForCapacity(ID, new Guid(1), 70, day(2, 12))).expectNoEvents();
    }

    @Test
    void deciderAnswersRefusalsWithReasons() {
        DatasetState state = DatasetDeciderTest.replay(history(3).stream().map(e -> (io.zsentinel.replication.api.DatasetEvent) e).toList());
        PruneDecision newest = DatasetDecider.pruneForCapacity(state, new PruneForCapacity(ID, new Guid(3), 90, day(2, 12))).decision();
        assertFalse(newest.accepted());
        assertTrue(newest.reason().contains("newest snapshot of the dataset"), newest.reason());
        PruneDecision under = DatasetDecider.pruneForCapacity(state, new PruneForCapacity(ID, new Guid(1), 60, day(2, 12))).decision();
        assertTrue(under.reason().contains("not over the threshold 70%"), under.reason());
        assertEquals(3, state.snapshots().size());
    }

    @Test
    void snapshotsATargetHasNotReceivedAreKeptByCountRulesButNotByAFullPool() {
        // Days 0..5, keep 3: days 0..2 expire by count. The offsite link's base is day 0 (guid 1),
        // so days 1..5 have not reached offsite yet: count rules keep them all.
        Instant now = day(5, 12);
        List<Object> given = history(6);
        given.add(new SnapshotProtected(ID, daily(0, 1, 0).name(), new Guid(1), "link:offsite", ProtectionKind.BASE));
        fixture.given(given).when(new EvaluateRetention(ID, now)).expectNoEvents();
        // A full pool may still take day 1, saying which target has not received it.
        SnapshotInfo day1 = daily(1, 2, 0);
        fixture.given(given).when(new PruneForCapacity(ID, day1.guid(), 95, now))
                .expectEvents(new SnapshotPruned(ID, day1.name(), day1.guid(),
                        "pool usage 95% > 70%: oldest prunable snapshot; link:offsite has not received it and will not:"
                                + " its next transfer resends from its common base " + daily(0, 1, 0).name().shortName(),
                        CommandIds.of(ID, "prune", day1.guid().toString()), now));
    }

    /** Days 0..9 kept 3 (days 0..6 expire), the offsite link's base day 0: days 1..6 are held for it. */
    static List<Object> heldForOffsite(int maxHeld) {
        List<Object> given = history(10);
        given.set(1, new RetentionPolicyChanged(ID, KEEP_3_DAILY.withMaxHeldForReplicas(maxHeld), DAY0));
        given.add(new SnapshotProtected(ID, daily(0, 1, 0).name(), new Guid(1), OFFSITE, ProtectionKind.BASE));
        return given;
    }

    static final String OFFSITE = "primary:primary/vm1->offsite:backup/vm1";

    @Test
    void pastTheLimitTheOldestSnapshotsHeldForALinkExpireAnywayNamingTheTargetButNeverItsBase() {
        Instant now = day(9, 12);
        List<Object> expected = new ArrayList<>();
        for (int day = 1; day <= 3; day++) { // 6 held, 3 allowed: the oldest 3 go, day 0 (the base) stays
            SnapshotInfo s = daily(day, day + 1, 0);
            expected.add(new SnapshotPruned(ID, s.name(), s.guid(), "expired daily (keeping newest 3), and more than 3"
                    + " expired snapshots are held for replication targets (maxHeldForReplicas); " + OFFSITE
                    + " has not received it and will not: its next transfer resends from its common base "
                    + daily(0, 1, 0).name().shortName(), CommandIds.of(ID, "prune", s.guid().toString()), now));
        }
        fixture.given(heldForOffsite(3)).when(new EvaluateRetention(ID, now)).expectEvents(expected.toArray());
    }

    @Test
    void withinTheLimitSnapshotsHeldForALinkStay() {
        fixture.given(heldForOffsite(6)).when(new EvaluateRetention(ID, day(9, 12))).expectNoEvents();
    }

    @Test
    void aPolicyStoredBeforeTheLimitExistedReadsTheDefault() {
        RetentionPolicy stored = new RetentionPolicy(KEEP_3_DAILY.keep(), KEEP_3_DAILY.zone(),
                KEEP_3_DAILY.frequentlyEvery(), KEEP_3_DAILY.dailyAt(), KEEP_3_DAILY.weeklyOn(),
                KEEP_3_DAILY.monthlyOnDay(), KEEP_3_DAILY.yearlyOn(), 70, false, false, 0, 0);
        assertEquals(RetentionPolicy.DEFAULT_MAX_HELD_FOR_REPLICAS, stored.maxHeldForReplicas());
        assertEquals(0, stored.maxHeldForReplicasDays(), "no age limit");
        assertEquals(KEEP_3_DAILY, stored);
    }

    @Test
    void snapshotsHeldForALinkLongerThanTheAgeLimitExpireAnywayNamingTheTarget() {
        // Days 1..6 are held (limit 50 is far); day 1 went past the count when day 4 was taken, day 2 with day 5 …
        // at day 9 noon with a 4-day limit: days 1 (since day 4) and 2 (since day 5, 4.5 days) go, day 3 (since day 6) stays.
        List<Object> given = heldForOffsite(50);
        given.set(1, new RetentionPolicyChanged(ID, KEEP_3_DAILY.withMaxHeldForReplicasDays(4), DAY0));
        Instant now = day(9, 12);
        List<Object> expected = new ArrayList<>();
        for (int day = 1; day <= 2; day++) {
            SnapshotInfo s = daily(day, day + 1, 0);
            expected.add(new SnapshotPruned(ID, s.name(), s.guid(), "expired daily (keeping newest 3), and it has been"
                    + " held for replication targets more than 4 days (maxHeldForReplicasDays); " + OFFSITE
                    + " has not received it and will not: its next transfer resends from its common base "
                    + daily(0, 1, 0).name().shortName(), CommandIds.of(ID, "prune", s.guid().toString()), now));
        }
        fixture.given(given).when(new EvaluateRetention(ID, now)).expectEvents(expected.toArray());
    }
}
