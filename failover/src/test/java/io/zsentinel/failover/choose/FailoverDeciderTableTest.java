package io.zsentinel.failover.choose;

import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.values.DatasetGlob;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.failover.api.CommonSnapshot;
import io.zsentinel.failover.api.FailoverCandidateEvaluated;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.FailoverMessages;
import io.zsentinel.failover.api.FailoverRefused;
import io.zsentinel.failover.api.ForceFailover;
import io.zsentinel.failover.api.Ineligible;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.StandbyChosen;
import io.zsentinel.failover.detect.Health;
import io.zsentinel.failover.service.ServiceDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.zsentinel.failover.api.Ineligible.IN_MAINTENANCE;
import static io.zsentinel.failover.api.Ineligible.NO_COMMON_SNAPSHOT;
import static io.zsentinel.failover.api.Ineligible.TOO_STALE;
import static io.zsentinel.failover.api.Ineligible.UNHEALTHY;
import static io.zsentinel.failover.detect.Health.FAILED;
import static io.zsentinel.failover.detect.Health.HEALTHY;
import static io.zsentinel.failover.detect.Health.SUSPECT;
import static io.zsentinel.failover.detect.Health.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The candidate choice's golden decision table: service vm-storage (tank/vm*, two datasets) on primary, standbys
 * [standby, standby-2] in that order, maxDataLoss 15m. A situation in (the primary's health, each standby's health,
 * maintenance and the age of its newest common snapshot per dataset, an operator's force), the decision out: the
 * server chosen or "refused", and each candidate's reasons for not being eligible.
 */
class FailoverDeciderTableTest {
    static final ServiceName VM = ServiceName.of("vm-storage");
    static final ServerId PRIMARY = ServerId.of("primary");
    static final ServerId STANDBY = ServerId.of("standby");
    static final ServerId STANDBY_2 = ServerId.of("standby-2");
    static final DatasetName VM1 = DatasetName.of("tank/vm1");
    static final DatasetName VM2 = DatasetName.of("tank/vm2");
    static final Instant NOW = Instant.parse("2026-12-01T08:30:00Z");
    static final ServiceDefinition SERVICE = new ServiceDefinition(VM, DatasetGlob.of("tank/vm*"), PRIMARY,
            List.of(STANDBY, STANDBY_2), Duration.ofMinutes(15), null, null, null);
    static final OperatorOrder ALICE = new OperatorOrder("alice@ops", "primary's PSU burnt; accept the loss");

    /** A standby: its health, maintenance, and the age in minutes of its newest common snapshot of vm1 and vm2 (null: none). */
    record Standby(Health health, boolean maintenance, Integer vm1Minutes, Integer vm2Minutes) {
        Candidate of(ServerId server) {
            Map<DatasetName, CommonSnapshot> common = new LinkedHashMap<>();
            if (vm1Minutes != null) {
                common.put(VM1, snapshot(VM1, vm1Minutes));
            }
            if (vm2Minutes != null) {
                common.put(VM2, snapshot(VM2, vm2Minutes));
            }
            return new Candidate(server, health, maintenance, common);
        }
    }

    static CommonSnapshot snapshot(DatasetName dataset, int minutesOld) {
        return new CommonSnapshot(dataset, dataset.snapshot("auto-" + minutesOld), new Guid(dataset.hashCode() * 31L + minutesOld),
                NOW.minus(Duration.ofMinutes(minutesOld)));
    }

    static Standby fresh() {
        return new Standby(HEALTHY, false, 2, 3);
    }

    record Row(String name, Health primary, boolean primaryMaintenance, String blockedBy, Standby first, Standby second,
               ServerId forcedTo, String chosen, Set<Ineligible> firstWhyNot, Set<Ineligible> secondWhyNot) {
        @Override
        public String toString() {
            return name;
        }

        FailoverSituation situation() {
            Map<ServerId, Candidate> candidates = new LinkedHashMap<>();
            if (first != null) {
                candidates.put(STANDBY, first.of(STANDBY));
            }
            if (second != null) {
                candidates.put(STANDBY_2, second.of(STANDBY_2));
            }
            return new FailoverSituation(SERVICE, PRIMARY, primary, primaryMaintenance, Set.of(VM1, VM2), candidates,
                    blockedBy, NOW);
        }

        FailoverDecision decide() {
            return forcedTo == null ? FailoverDecider.decide(situation())
                    : FailoverDecider.decide(situation(), new ForceFailover(VM, forcedTo, ALICE));
        }
    }

    static Row auto(String situation, Standby first, Standby second, String chosen, Set<Ineligible> firstWhyNot,
                    Set<Ineligible> secondWhyNot) {
        return new Row(situation, FAILED, false, null, first, second, null, chosen, firstWhyNot, secondWhyNot);
    }

    static Stream<Row> table() {
        Set<Ineligible> none = Set.of();
        Standby stale = new Standby(HEALTHY, false, 20, 3);
        return Stream.of(
                auto("both fresh: the first in preference order", fresh(), fresh(), "standby", none, none),
                auto("the first fresher than the second: the first", new Standby(HEALTHY, false, 1, 1),
                        new Standby(HEALTHY, false, 5, 5), "standby", none, none),
                auto("the second fresher but both within maxDataLoss: still the first", new Standby(HEALTHY, false, 14, 14),
                        new Standby(HEALTHY, false, 1, 1), "standby", none, none),
                auto("exactly maxDataLoss old: eligible", new Standby(HEALTHY, false, 15, 15), null, "standby", none,
                        Set.of(UNHEALTHY, NO_COMMON_SNAPSHOT)),
                auto("the first too stale for one dataset: the second", stale, fresh(), "standby-2", Set.of(TOO_STALE), none),
                auto("standby too stale, the other unheard: refused", stale, null, "refused", Set.of(TOO_STALE),
                        Set.of(UNHEALTHY, NO_COMMON_SNAPSHOT)),
                auto("both too stale: refused", stale, new Standby(HEALTHY, false, 60, 60), "refused", Set.of(TOO_STALE),
                        Set.of(TOO_STALE)),
                auto("the first suspect: the second", new Standby(SUSPECT, false, 2, 2), fresh(), "standby-2",
                        Set.of(UNHEALTHY), none),
                auto("the first failed too: the second", new Standby(FAILED, false, 2, 2), fresh(), "standby-2",
                        Set.of(UNHEALTHY), none),
                auto("the first unknown: the second", new Standby(UNKNOWN, false, 2, 2), fresh(), "standby-2",
                        Set.of(UNHEALTHY), none),
                auto("the first in maintenance: the second", new Standby(HEALTHY, true, 2, 2), fresh(), "standby-2",
                        Set.of(IN_MAINTENANCE), none),
                auto("the first lacks a copy of vm2: the second", new Standby(HEALTHY, false, 2, null), fresh(), "standby-2",
                        Set.of(NO_COMMON_SNAPSHOT), none),
                auto("the only healthy one in maintenance, the other failed and stale: refused",
                        new Standby(HEALTHY, true, 2, 2), new Standby(FAILED, false, 30, 2), "refused",
                        Set.of(IN_MAINTENANCE), Set.of(UNHEALTHY, TOO_STALE)),
                new Row("primary only suspect: refused, candidates still evaluated", SUSPECT, false, null, fresh(), fresh(),
                        null, "refused", none, none),
                new Row("primary unknown (everything silent): refused", UNKNOWN, false, null, fresh(), fresh(), null,
                        "refused", none, none),
                new Row("primary in maintenance: refused", FAILED, true, null, fresh(), fresh(), null, "refused", none, none),
                new Row("blocked after an unacknowledged failover: refused", FAILED, false, "failover to standby at 08:00",
                        fresh(), fresh(), null, "refused", none, none),
                new Row("forced to the too stale standby: chosen, staleness accepted", FAILED, false, null, stale, fresh(),
                        STANDBY, "standby", none, none),
                new Row("forced to the second though the first is eligible", FAILED, false, null, fresh(), fresh(),
                        STANDBY_2, "standby-2", none, none),
                new Row("forced while the primary is only suspect and in maintenance, and blocked", SUSPECT, true,
                        "failover to standby at 08:00", fresh(), fresh(), STANDBY, "standby", none, none),
                new Row("forced to a failed standby: refused", FAILED, false, null, new Standby(FAILED, false, 2, 2), fresh(),
                        STANDBY, "refused", Set.of(UNHEALTHY), none),
                new Row("forced to a suspect stale standby: refused, unhealthy (staleness alone would pass)", FAILED, false,
                        null, new Standby(SUSPECT, false, 40, 2), fresh(), STANDBY, "refused", Set.of(UNHEALTHY), none),
                new Row("forced to a standby without a copy of vm2: refused", FAILED, false, null,
                        new Standby(HEALTHY, false, 2, null), fresh(), STANDBY, "refused", Set.of(NO_COMMON_SNAPSHOT), none),
                new Row("forced to a standby in maintenance: refused", FAILED, false, null, new Standby(HEALTHY, true, 2, 2),
                        fresh(), STANDBY, "refused", Set.of(IN_MAINTENANCE), none),
                new Row("forced to a server that is no standby: refused", FAILED, false, null, fresh(), fresh(),
                        ServerId.of("offsite"), "refused", none, none),
                new Row("forced to the failed primary itself: refused", FAILED, false, null, fresh(), fresh(), PRIMARY,
                        "refused", none, none));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(Row row) {
        FailoverDecision decision = row.decide();

        List<FailoverCandidateEvaluated> evaluations = decision.evaluations();
        assertEquals(List.of(STANDBY, STANDBY_2), evaluations.stream().map(FailoverCandidateEvaluated::candidate).toList(),
                "every standby evaluated, in preference order");
        assertEquals(row.firstWhyNot(), evaluations.get(0).ineligible(), evaluations.get(0).why());
        assertEquals(row.secondWhyNot(), evaluations.get(1).ineligible(), evaluations.get(1).why());
        String outcome = decision.chosen().map(c -> c.chosen().value()).orElse("refused");
        assertEquals(row.chosen(), outcome, decision.outcome().toString());
        assertEquals(decision.events().get(decision.events().size() - 1), decision.outcome(), "the outcome comes last");
        decision.chosen().ifPresent(c -> assertEquals(row.forcedTo() == null ? null : ALICE, c.forced()));
        decision.refused().ifPresent(r -> assertEquals(row.forcedTo() == null ? null : ALICE, r.forced()));
    }

    @Test
    void theChoiceSaysWhyThisOneAndTheDataLoss() {
        FailoverDecision d = auto("", new Standby(HEALTHY, false, 20, 3), new Standby(HEALTHY, false, 4, 7), null,
                Set.of(), Set.of()).decide();
        StandbyChosen chosen = d.chosen().orElseThrow();
        assertEquals(Duration.ofMinutes(7), chosen.dataLoss(), "the oldest of its newest common snapshots");
        assertTrue(chosen.reason().contains("first eligible standby") && chosen.reason().contains("preference 2")
                && chosen.reason().contains("passed over: standby (not eligible: newest common snapshot tank/vm1@auto-20 is"
                + " 20m old, more than maxDataLoss 15m)"), chosen.reason());
        FailoverCandidateEvaluated second = d.evaluations().get(1);
        assertEquals(List.of(snapshot(VM1, 4), snapshot(VM2, 7)), second.commonSnapshots());
        assertEquals(2, second.preference());
        assertEquals(Duration.ofMinutes(15), second.maxDataLoss());
    }

    @Test
    void aRefusalGivesEveryReasonAndSaysWhatAnOperatorCanDo() {
        FailoverRefused stale = auto("", new Standby(HEALTHY, false, 20, 3), new Standby(SUSPECT, false, 1, 1), null,
                Set.of(), Set.of()).decide().refused().orElseThrow();
        assertEquals(3, stale.reasons().size(), stale.reasons().toString());
        assertTrue(stale.reasons().get(0).startsWith("standby: not eligible: newest common snapshot"), stale.reasons().get(0));
        assertTrue(stale.reasons().get(1).startsWith("standby-2: not eligible: it is suspect"), stale.reasons().get(1));
        assertTrue(stale.reasons().get(2).contains("zsentinel failover force vm-storage --to <server> --reason"),
                stale.reasons().get(2));

        FailoverRefused suspect = new Row("", SUSPECT, true, "failover to standby at 08:00", fresh(), fresh(), null,
                null, null, null).decide().refused().orElseThrow();
        assertEquals(3, suspect.reasons().size(), suspect.reasons().toString());
        assertTrue(suspect.reasons().get(0).contains("primary is suspect, not failed"), suspect.reasons().get(0));
        assertTrue(suspect.reasons().get(1).contains("maintenance mode"), suspect.reasons().get(1));
        assertTrue(suspect.reasons().get(2).contains("zsentinel failover ack vm-storage"), suspect.reasons().get(2));
    }

    @Test
    void aForcedChoiceRecordsTheOperatorAndTheAcceptedLoss() {
        FailoverDecision d = new Row("", FAILED, false, null, new Standby(HEALTHY, false, 20, 3), fresh(), STANDBY, null,
                null, null).decide();
        StandbyChosen chosen = d.chosen().orElseThrow();
        assertEquals(ALICE, chosen.forced());
        assertEquals(Duration.ofMinutes(20), chosen.dataLoss());
        assertTrue(chosen.reason().startsWith("forced by alice@ops (primary's PSU burnt; accept the loss)"), chosen.reason());
        assertTrue(d.evaluations().get(0).why().contains("accepted by the operator's force"), d.evaluations().get(0).why());
        assertNull(FailoverDecider.decide(new Row("", FAILED, false, null, fresh(), fresh(), null, null, null, null)
                .situation()).chosen().orElseThrow().forced());
    }

    @Test
    void noDatasetOfTheServiceOnThePrimaryIsRefused() {
        FailoverSituation empty = new FailoverSituation(SERVICE, PRIMARY, FAILED, false, Set.of(),
                Map.of(STANDBY, fresh().of(STANDBY)), null, NOW);
        FailoverRefused r = FailoverDecider.decide(empty).refused().orElseThrow();
        assertTrue(r.reasons().get(0).contains("no dataset of primary matches tank/vm*"), r.reasons().toString());
        assertThrows(IllegalArgumentException.class, () -> new FailoverSituation(SERVICE, PRIMARY, FAILED, false,
                Set.of(DatasetName.of("tank/db1")), Map.of(), null, NOW), "not a dataset of the service");
    }

    @Test
    void everyDecisionEventTravelsThroughTheEnvelopeUnchanged() {
        EnvelopeCodec codec = new EnvelopeCodec(FailoverMessages.types());
        List<Message> events = new ArrayList<>();
        table().forEach(row -> events.addAll(row.decide().events()));
        events.add(new io.zsentinel.failover.api.ServerDeclaredFailed(PRIMARY,
                Set.of(io.zsentinel.failover.detect.Evidence.POOL_FAILED), "unheard for 9 s; pool tank FAULTED", NOW));
        events.add(new io.zsentinel.failover.api.MaintenanceModeChanged(PRIMARY, true, ALICE, NOW));
        for (Message e : events) {
            assertEquals(e, codec.decode(codec.encode(codec.wrap(e, "controller", NOW))).payload());
        }
    }
}
