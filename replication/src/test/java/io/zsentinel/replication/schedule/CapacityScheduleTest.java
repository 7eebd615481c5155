package io.zsentinel.replication.schedule;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.PruneForCapacity;
import io.zsentinel.replication.retention.RetentionPolicy;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The capacity rules on plain inputs: when a pool is over, which snapshots are offered, and what ends the wait for a prune. */
class CapacityScheduleTest {
    static final ServerId PRIMARY = ServerId.of("primary");
    static final PoolName TANK = PoolName.of("tank");
    static final DatasetId VM1 = new DatasetId(PRIMARY, DatasetName.of("tank/vm1"));
    static final DatasetId VM2 = new DatasetId(PRIMARY, DatasetName.of("tank/vm2"));
    static final DatasetId ELSEWHERE = new DatasetId(PRIMARY, DatasetName.of("scratch/vm3"));
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final RetentionPolicy AT_70 = RetentionPolicy.defaults().withUsageThresholdPercent(70);

    /** The pools' usage as the controller received it; {@code position} advances with every fact. */
    static final class Usage implements PoolUsageSource {
        final List<Report> reports = new ArrayList<>();
        long position;
        final Set<Guid> reportedAfterDestroy = new HashSet<>();
        long refusedAt;
        final List<Guid> forgotten = new ArrayList<>();

        Report report(int percent) {
            Report r = new Report(PRIMARY, TANK, percent, T0, ++position);
            reports.clear();
            reports.add(r);
            return r;
        }

        @Override
        public List<Report> reports() {
            return List.copyOf(reports);
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public boolean reportedAfterDestroy(ServerId server, PoolName pool, Guid guid) {
            return reportedAfterDestroy.contains(guid);
        }

        @Override
        public boolean destroyRefusedSince(ServerId server, PoolName pool, long since) {
            return refusedAt > since;
        }

        @Override
        public void forget(ServerId server, Guid guid) {
            forgotten.add(guid);
        }
    }

    final Inventories.View view = new Inventories.View();
    final Map<DatasetId, RetentionPolicy> policies = new HashMap<>(Map.of(VM1, AT_70, VM2, AT_70, ELSEWHERE, AT_70));
    final Usage usage = new Usage();
    final CapacitySchedule schedule = new CapacitySchedule(id -> Optional.ofNullable(policies.get(id)), view, usage);

    static SnapshotInfo snap(DatasetId on, String name, long txg) {
        return new SnapshotInfo(on.dataset().snapshot(name), new Guid(txg), txg, T0, 1, 1);
    }

    static SnapshotInfo ours(DatasetId on, long txg) {
        return snap(on, "zsentinel_hourly_" + txg, txg);
    }

    static List<Guid> offered(CapacitySchedule.Step step) {
        return assertInstanceOf(CapacitySchedule.Offer.class, step).candidates().stream()
                .map(c -> c.prune().guid()).toList();
    }

    /** Offers, and the first candidate is accepted. */
    CapacitySchedule.Candidate pruneFirst(PoolUsageSource.Report report, Instant now) {
        CapacitySchedule.Offer offer = assertInstanceOf(CapacitySchedule.Offer.class, schedule.next(report, now));
        schedule.accepted(report, offer.candidates().get(0), offer.position(), now);
        return offer.candidates().get(0);
    }

    @Test
    void aPoolAtOrUnderItsDatasetsThresholdIsLeftAlone() {
        view.with(VM1, ours(VM1, 1), ours(VM1, 2));
        assertEquals(new CapacitySchedule.Under(false), schedule.next(usage.report(70), T0));
        policies.remove(VM1);
        assertEquals(new CapacitySchedule.Under(false), schedule.next(usage.report(99), T0), "no policy: no threshold");
    }

    @Test
    void theOldestCandidatesOfThePoolAreOfferedAcrossDatasetsNeverADatasetsNewestNorAForeignSnapshot() {
        view.with(VM1, ours(VM1, 10), snap(VM1, "manual", 11), ours(VM1, 30), ours(VM1, 50))
                .with(VM2, ours(VM2, 20), ours(VM2, 40))
                .with(ELSEWHERE, ours(ELSEWHERE, 1), ours(ELSEWHERE, 2)); // another pool
        PoolUsageSource.Report report = usage.report(80);
        CapacitySchedule.Offer offer = assertInstanceOf(CapacitySchedule.Offer.class, schedule.next(report, T0));
        assertEquals(List.of(new Guid(10), new Guid(20), new Guid(30)), offered(offer));
        assertEquals(new CapacitySchedule.Candidate(VM1.dataset().snapshot("zsentinel_hourly_10"),
                new PruneForCapacity(VM1, new Guid(10), 80, T0)), offer.candidates().get(0));
        assertEquals(usage.position(), offer.position());

        policies.put(VM1, AT_70.withPruneForeignSnapshots(true));
        assertEquals(List.of(new Guid(10), new Guid(11), new Guid(20), new Guid(30)),
                offered(new CapacitySchedule(id -> Optional.ofNullable(policies.get(id)), view, usage).next(report, T0)),
                "foreign snapshots too when the policy says so");
    }

    @Test
    void atMostTwentyAreOfferedPerTick() {
        view.with(VM1, LongStream.rangeClosed(1, 30).mapToObj(txg -> ours(VM1, txg)).toArray(SnapshotInfo[]::new));
        assertEquals(CapacitySchedule.MAX_OFFERS_PER_TICK, offered(schedule.next(usage.report(80), T0)).size());
        assertEquals(20, CapacitySchedule.MAX_OFFERS_PER_TICK);
    }

    @Test
    void afterAPruneTheNextOfferWaitsForTheDestroyAndAUsageReportAfterIt() {
        view.with(VM1, ours(VM1, 1), ours(VM1, 2), ours(VM1, 3));
        PoolUsageSource.Report report = usage.report(80);
        CapacitySchedule.Candidate pruned = pruneFirst(report, T0);
        assertEquals(new CapacitySchedule.Waiting(), schedule.next(usage.report(80), T0.plusSeconds(5)),
                "a usage report alone does not end the wait");

        usage.reportedAfterDestroy.add(pruned.prune().guid());
        view.datasets.get(VM1).remove(0);
        assertEquals(List.of(new Guid(2)), offered(schedule.next(usage.report(80), T0.plusSeconds(10))));
        assertEquals(List.of(new Guid(1)), usage.forgotten, "the destroy is forgotten once acted on");
    }

    @Test
    void aPruneWithNoVisibleEffectIsGivenUpAfterTwoMinutes() {
        view.with(VM1, ours(VM1, 1), ours(VM1, 2), ours(VM1, 3));
        pruneFirst(usage.report(80), T0);
        assertEquals(new CapacitySchedule.Waiting(), schedule.next(usage.report(80), T0.plus(CapacitySchedule.GIVE_UP_AFTER)));
        assertInstanceOf(CapacitySchedule.Offer.class,
                schedule.next(usage.report(80), T0.plus(CapacitySchedule.GIVE_UP_AFTER).plusSeconds(1)));
        assertEquals(List.of(new Guid(1)), usage.forgotten);
    }

    @Test
    void anAgentsRefusalAfterTheOfferEndsTheWaitAtOnceAndSaysWhose() {
        view.with(VM1, ours(VM1, 1), ours(VM1, 2), ours(VM1, 3));
        usage.refusedAt = ++usage.position; // before the offer: changes nothing
        PoolUsageSource.Report report = usage.report(80);
        pruneFirst(report, T0);
        assertEquals(new CapacitySchedule.Waiting(), schedule.next(report, T0.plusSeconds(5)));

        usage.refusedAt = ++usage.position;
        CapacitySchedule.Offer again = assertInstanceOf(CapacitySchedule.Offer.class, schedule.next(report, T0.plusSeconds(5)));
        assertEquals(VM1, again.refusedByAgent());
        assertEquals(List.of(), usage.forgotten, "no destroy to forget");
    }

    @Test
    void nothingPrunedIsSaidOnceWithEachRefusalAndThePoolsRecoveryIsTold() {
        view.with(VM1, ours(VM1, 1), ours(VM1, 2));
        PoolUsageSource.Report report = usage.report(80);
        assertInstanceOf(CapacitySchedule.Offer.class, schedule.next(report, T0));
        Optional<String> why = schedule.nothingPruned(report, List.of("protected: base of a link"));
        assertEquals(Optional.of("pool tank on primary is at 80% but nothing more can be pruned: protected: base of a link;"
                + " free space or release protected snapshots"), why);
        assertEquals(Optional.empty(), schedule.nothingPruned(report, List.of("protected: base of a link")), "said once");
        assertTrue(schedule.nothingPruned(report, List.of()).orElseThrow().contains("(no zsentinel snapshots left)"),
                "said again when the reason changes");

        assertEquals(new CapacitySchedule.Under(true), schedule.next(usage.report(60), T0));
        assertEquals(new CapacitySchedule.Under(false), schedule.next(usage.report(60), T0));
    }

    @Test
    void aPoolBackUnderItsThresholdForgetsThePruneItWaitedFor() {
        view.with(VM1, ours(VM1, 1), ours(VM1, 2), ours(VM1, 3));
        pruneFirst(usage.report(80), T0);
        assertEquals(new CapacitySchedule.Under(false), schedule.next(usage.report(60), T0));
        assertInstanceOf(CapacitySchedule.Offer.class, schedule.next(usage.report(80), T0), "nothing to wait for any more");
    }
}
