package io.zsentinel.failover.process;

import io.zsentinel.core.values.DatasetGlob;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.BeginFailover;
import io.zsentinel.failover.api.CheckFailover;
import io.zsentinel.failover.api.CommonSnapshot;
import io.zsentinel.failover.api.DatasetPromoted;
import io.zsentinel.failover.api.DatasetPromotion;
import io.zsentinel.failover.api.DemotionRequested;
import io.zsentinel.failover.api.FailoverEvent;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.FailoverStarted;
import io.zsentinel.failover.api.ForceFailover;
import io.zsentinel.failover.api.HookKind;
import io.zsentinel.failover.api.HookRan;
import io.zsentinel.failover.api.HookRequested;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.PrimaryFenced;
import io.zsentinel.failover.api.PromotionFailed;
import io.zsentinel.failover.api.PromotionRequested;
import io.zsentinel.failover.api.RecordHookOutcome;
import io.zsentinel.failover.api.RecordServiceCommandOutcome;
import io.zsentinel.failover.api.RegisterService;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.ServiceRegistered;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.failover.choose.Candidate;
import io.zsentinel.failover.choose.FailoverDecider;
import io.zsentinel.failover.choose.FailoverSituation;
import io.zsentinel.failover.detect.Health;
import io.zsentinel.failover.service.ServiceDefinition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One failover of service vm-storage (tank/vm1, tank/vm2) from primary to standby (standby-2 second), step by step:
 * the commands that drive it and the events each step leaves, for the decider's and the aggregate's tests.
 */
final class FailoverStory {
    static final ServiceName VM = ServiceName.of("vm-storage");
    static final ServerId PRIMARY = ServerId.of("primary");
    static final ServerId STANDBY = ServerId.of("standby");
    static final ServerId STANDBY_2 = ServerId.of("standby-2");
    static final DatasetName VM1 = DatasetName.of("tank/vm1");
    static final DatasetName VM2 = DatasetName.of("tank/vm2");
    static final ServiceDefinition DEFINITION = new ServiceDefinition(VM, DatasetGlob.of("tank/vm*"), PRIMARY,
            List.of(STANDBY, STANDBY_2), Duration.ofMinutes(15), null, null, null);
    static final OperatorOrder ALICE = new OperatorOrder("alice@ops", "checked the disks of primary");

    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    static final Instant FAILED_AT = T0.plus(Duration.ofHours(1));
    static final Instant LEASE = FAILED_AT.plusSeconds(30);
    static final Duration WINDOW = Duration.ofMinutes(5);
    static final Instant DEADLINE = FAILED_AT.plus(WINDOW);
    static final Instant FENCED_AT = FAILED_AT.plusSeconds(2);
    static final Instant PROMOTED_AT = FAILED_AT.plusSeconds(4);
    static final Instant SWITCHED_AT = FAILED_AT.plusSeconds(6);

    static final ServiceRegistered REGISTERED = new ServiceRegistered(VM, PRIMARY, List.of(STANDBY, STANDBY_2), 1, T0);
    static final FailoverId ID = ServiceDecider.failoverId(VM, 2, FAILED_AT);

    private FailoverStory() {
    }

    static RegisterService register(Instant at) {
        return new RegisterService(VM, PRIMARY, List.of(STANDBY, STANDBY_2), at);
    }

    static CommonSnapshot common(DatasetName dataset, Instant now, int minutesOld) {
        return new CommonSnapshot(dataset, dataset.snapshot("auto-" + minutesOld), new Guid(dataset.hashCode() * 31L + minutesOld),
                now.minus(Duration.ofMinutes(minutesOld)));
    }

    /** A healthy standby whose newest common snapshots are {@code minutesOld} old. */
    static Candidate standby(ServerId server, Instant now, int minutesOld) {
        return new Candidate(server, Health.HEALTHY, false, Map.of(VM1, common(VM1, now, minutesOld),
                VM2, common(VM2, now, minutesOld + 1)));
    }

    static FailoverSituation situation(ServerId failed, Instant now, int minutesOld) {
        return new FailoverSituation(DEFINITION, failed, Health.FAILED, false, Set.of(VM1, VM2), Map.of(
                STANDBY, standby(STANDBY, now, minutesOld), STANDBY_2, standby(STANDBY_2, now, minutesOld),
                PRIMARY, standby(PRIMARY, now, minutesOld)), null, now);
    }

    /** The primary failed, both standbys fresh (2 minutes). */
    static FailoverSituation primaryFailed() {
        return situation(PRIMARY, FAILED_AT, 2);
    }

    static BeginFailover begin() {
        return new BeginFailover(VM, primaryFailed(), null, LEASE, WINDOW);
    }

    static BeginFailover force(FailoverSituation situation, ServerId to) {
        return new BeginFailover(VM, situation, new ForceFailover(VM, to, ALICE), situation.now().plusSeconds(30), WINDOW);
    }

    /** The decision's events, {@code FailoverStarted} (generation 2) and the fence hook's request. */
    static List<FailoverEvent> started() {
        List<FailoverEvent> events = new ArrayList<>(FailoverDecider.decide(primaryFailed()).events());
        events.add(new FailoverStarted(VM, ID, PRIMARY, STANDBY, 2, List.of(
                new DatasetPromotion(VM1, VM1.snapshot("auto-2")), new DatasetPromotion(VM2, VM2.snapshot("auto-3"))),
                LEASE, DEADLINE, null, FAILED_AT));
        events.add(new HookRequested(VM, ID, HookKind.FENCE, PRIMARY, 2, FAILED_AT));
        return events;
    }

    static RecordHookOutcome hook(HookKind kind, ServerId server, boolean succeeded, String detail, Instant at) {
        return new RecordHookOutcome(VM, ID, kind, server, succeeded, detail, at);
    }

    static HookRan hookRan(HookKind kind, ServerId server, boolean succeeded, String detail, Instant at) {
        return new HookRan(VM, ID, kind, server, succeeded, detail, at);
    }

    static UUID promote(DatasetName dataset, int attempt) {
        return ServiceDecider.commandId("promote", ID, dataset, attempt);
    }

    static UUID demote(DatasetName dataset) {
        return ServiceDecider.commandId("demote", ID, dataset, 1);
    }

    static PromotionRequested promotionRequested(DatasetName dataset, int attempt, Instant at) {
        return new PromotionRequested(VM, ID, STANDBY, dataset, 2, dataset.snapshot(dataset.equals(VM1) ? "auto-2" : "auto-3"),
                promote(dataset, attempt), attempt, at);
    }

    /** The fence hook succeeded: fenced, both datasets' first promotion requested. */
    static List<FailoverEvent> fencedByHook() {
        return List.of(hookRan(HookKind.FENCE, PRIMARY, true, "fence.sh exit 0 in 1.2 s", FENCED_AT),
                new PrimaryFenced(VM, ID, PRIMARY, false, "the fence hook succeeded: fence.sh exit 0 in 1.2 s", FENCED_AT),
                promotionRequested(VM1, 1, FENCED_AT), promotionRequested(VM2, 1, FENCED_AT));
    }

    static RecordServiceCommandOutcome promotion(DatasetName dataset, int attempt, boolean succeeded, Instant at) {
        return new RecordServiceCommandOutcome(VM, STANDBY, dataset, promote(dataset, attempt), "PromoteDataset", succeeded,
                succeeded ? "promoted at generation 2" : "cannot mount: busy", at);
    }

    static DatasetPromoted promoted(DatasetName dataset, int attempt, Instant at) {
        return new DatasetPromoted(VM, ID, STANDBY, dataset, promote(dataset, attempt), "promoted at generation 2", at);
    }

    static PromotionFailed promotionFailed(DatasetName dataset, int attempt, Instant at) {
        return new PromotionFailed(VM, ID, STANDBY, dataset, promote(dataset, attempt), attempt, "cannot mount: busy", at);
    }

    /** Both datasets promoted, the promote hook requested. */
    static List<FailoverEvent> bothPromoted() {
        return List.of(promoted(VM1, 1, PROMOTED_AT), promoted(VM2, 1, PROMOTED_AT),
                new HookRequested(VM, ID, HookKind.PROMOTE, STANDBY, 2, PROMOTED_AT));
    }

    /** The promote hook ran ({@code succeeded}): switched, the former primary told to demote. */
    static List<FailoverEvent> switched(boolean succeeded) {
        return List.of(hookRan(HookKind.PROMOTE, STANDBY, succeeded, succeeded ? "serve.sh exit 0" : "serve.sh exit 3",
                        SWITCHED_AT),
                new ServiceSwitched(VM, ID, PRIMARY, STANDBY, 2, List.of(VM1, VM2), SWITCHED_AT),
                new DemotionRequested(VM, PRIMARY, VM1, 2, demote(VM1), SWITCHED_AT),
                new DemotionRequested(VM, PRIMARY, VM2, 2, demote(VM2), SWITCHED_AT),
                new HookRequested(VM, ID, HookKind.DEMOTE, PRIMARY, 2, SWITCHED_AT));
    }

    static CheckFailover check(Instant at) {
        return new CheckFailover(VM, at);
    }

    /** The lists one after another, as one history. */
    @SafeVarargs
    static List<FailoverEvent> history(List<? extends FailoverEvent>... parts) {
        List<FailoverEvent> all = new ArrayList<>();
        for (List<? extends FailoverEvent> p : parts) {
            all.addAll(p);
        }
        return all;
    }
}
