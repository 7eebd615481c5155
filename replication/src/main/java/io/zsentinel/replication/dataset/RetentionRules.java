package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.api.DatasetEvent;
import io.zsentinel.replication.api.EvaluateRetention;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.api.PruneDecision;
import io.zsentinel.replication.api.PruneForCapacity;
import io.zsentinel.replication.api.SnapshotPruned;
import io.zsentinel.replication.api.SnapshotScheduled;
import io.zsentinel.replication.retention.Expiry;
import io.zsentinel.replication.retention.HeldForReplicas;
import io.zsentinel.replication.retention.Protection;
import io.zsentinel.replication.retention.RetainedSnapshot;
import io.zsentinel.replication.retention.Retention;
import io.zsentinel.replication.retention.RetentionPlan;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.Schedule;
import io.zsentinel.replication.retention.SnapshotClass;
import io.zsentinel.replication.retention.SnapshotNaming;
import io.zsentinel.replication.retention.SnapshotSlot;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Schedules, count expiry and usage-threshold pruning for one dataset. The policy maths lives in
 * {@code retention}; this applies it to the dataset's state and says what to order.
 */
final class RetentionRules {
    /** An order without an outcome after this long is issued again (same command id: idempotent). */
    static final Duration RETRY_AFTER = Duration.ofMinutes(2);

    private RetentionRules() {
    }

    static void evaluate(DatasetState state, EvaluateRetention c, List<DatasetEvent> events) {
        RetentionPolicy policy = state.policy();
        if (policy == null) {
            return;
        }
        List<RetainedSnapshot> retained = retained(state);
        Map<SnapshotClass, Instant> last = new EnumMap<>(SnapshotClass.class);
        last.putAll(state.lastSlots());
        Schedule.lastTakenSlots(retained).forEach((k, v) -> last.merge(k, v, (a, b) -> a.isAfter(b) ? a : b));
        // a replica takes nothing of its own (it would diverge from its source): its snapshots only expire
        for (SnapshotSlot slot : policy.receiveOnly() ? List.<SnapshotSlot>of() : Schedule.due(policy, c.now(), last)) {
            SnapshotName name = state.id().dataset().snapshot(slot.shortName());
            UUID commandId = CommandIds.of(state.id(), "take", name.shortName());
            if (!waiting(state, commandId, c.now())) {
                events.add(new SnapshotScheduled(state.id(), slot.klass(), slot.slot(), name, commandId, c.now()));
            }
        }
        RetentionPlan plan = Retention.plan(policy, retained, countProtected(state));
        for (Expiry expiry : plan.destroy()) {
            prune(state, expiry.snapshot().name(), expiry.snapshot().guid(), expiry.reason(), c.now(), events);
        }
        pruneHeldPastBounds(state, policy, retained, c.now(), events);
    }

    /**
     * Expired snapshots kept only because a link's target lacks them, past the policy's bounds
     * (count, and age if set): pruned anyway, oldest first, each naming the targets that will skip it.
     */
    private static void pruneHeldPastBounds(DatasetState state, RetentionPolicy policy, List<RetainedSnapshot> retained,
                                            Instant now, List<DatasetEvent> events) {
        List<HeldForReplicas.Hold> holds = HeldForReplicas.holds(policy, retained, linkBases(state),
                capacityProtected(state));
        Map<Guid, String> bound = new LinkedHashMap<>();
        HeldForReplicas.beyondLimit(policy, holds).forEach(s -> bound.put(s.guid(), "more than "
                + policy.maxHeldForReplicas() + " expired snapshots are held for replication targets (maxHeldForReplicas)"));
        HeldForReplicas.heldTooLong(policy, retained, holds, now).forEach(s -> bound.putIfAbsent(s.guid(),
                "it has been held for replication targets more than " + policy.maxHeldForReplicasDays()
                        + " days (maxHeldForReplicasDays)"));
        if (bound.isEmpty()) {
            return;
        }
        Map<Guid, String> expired = Retention.expired(policy, retained).stream()
                .collect(Collectors.toMap(e -> e.snapshot().guid(), Expiry::reason, (a, b) -> a));
        for (RetainedSnapshot s : retained) { // oldest first
            if (bound.containsKey(s.guid())) {
                prune(state, s.name(), s.guid(), expired.get(s.guid()) + ", and " + bound.get(s.guid())
                        + missedBy(state, s.guid()), now, events);
            }
        }
    }

    /** Per link (holder), its newest protected snapshot on this dataset: the base its target has. */
    static Map<String, Guid> linkBases(DatasetState state) {
        Map<String, Guid> bases = new TreeMap<>();
        for (SnapshotInfo s : state.snapshotsOldestFirst()) {
            state.holders(s.guid()).keySet().forEach(holder -> bases.put(holder, s.guid()));
        }
        return bases;
    }

    /** Which targets skip this snapshot, and where their next transfer starts from (their base is never pruned). */
    private static String missedBy(DatasetState state, Guid guid) {
        Set<String> behind = notYetReceivedBy(state, guid);
        if (behind.isEmpty()) {
            return "";
        }
        Map<String, Guid> bases = linkBases(state);
        return behind.stream().map(holder -> "; " + holder + " has not received it and will not: its next transfer"
                        + " resends from its common base "
                        + state.snapshot(bases.get(holder)).map(b -> b.name().shortName()).orElse("(unknown)"))
                .collect(Collectors.joining());
    }

    /** Refused with a reason, or accepted (with the prune event added unless one is already in flight). */
    static PruneDecision pruneForCapacity(DatasetState state, PruneForCapacity c, List<DatasetEvent> events) {
        RetentionPolicy policy = state.policy();
        if (policy == null) {
            return PruneDecision.refused(state.id() + " has no retention policy");
        }
        if (c.usagePercent() <= policy.usageThresholdPercent()) {
            return PruneDecision.refused("pool usage " + c.usagePercent() + "% is not over the threshold "
                    + policy.usageThresholdPercent() + "% of " + state.id());
        }
        Optional<SnapshotInfo> snapshot = state.snapshot(c.guid());
        if (snapshot.isEmpty()) {
            return PruneDecision.refused("no snapshot with guid " + c.guid() + " on " + state.id());
        }
        List<RetainedSnapshot> retained = retained(state);
        RetainedSnapshot candidate = RetainedSnapshot.of(snapshot.get().name(), c.guid(), snapshot.get().createtxg());
        if (!candidate.isZsentinel() && !policy.pruneForeignSnapshots()) {
            return PruneDecision.refused(candidate.name() + " was not taken by zsentinel and the policy keeps foreign snapshots");
        }
        Optional<String> blocked = Protection.blockReason(capacityProtected(state), retained, candidate);
        if (blocked.isPresent()) {
            return PruneDecision.refused(candidate.name() + " is kept: " + blocked.get());
        }
        String reason = "pool usage " + c.usagePercent() + "% > " + policy.usageThresholdPercent()
                + "%: oldest prunable snapshot" + lostBases(state, c.guid());
        if (!prune(state, candidate.name(), c.guid(), reason, c.at(), events)) {
            return PruneDecision.accepted("already being pruned");
        }
        return PruneDecision.accepted(reason);
    }

    /** Adds the prune unless the same prune is in flight and not yet due for a retry; true if added. */
    private static boolean prune(DatasetState state, SnapshotName name, Guid guid, String reason, Instant now,
                                 List<DatasetEvent> events) {
        UUID commandId = CommandIds.of(state.id(), "prune", guid.toString());
        if (waiting(state, commandId, now)) {
            return false;
        }
        events.add(new SnapshotPruned(state.id(), name, guid, reason, commandId, now));
        return true;
    }

    private static boolean waiting(DatasetState state, UUID commandId, Instant now) {
        PendingCommand p = state.pending().get(commandId);
        return p != null && p.orderedAt().plus(RETRY_AFTER).isAfter(now);
    }

    private static String lostBases(DatasetState state, Guid guid) {
        Set<String> awaiting = state.holders(guid).entrySet().stream()
                .filter(e -> e.getValue() == ProtectionKind.AWAITING).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        Set<String> behind = notYetReceivedBy(state, guid);
        return (awaiting.isEmpty() ? "" : "; " + String.join(", ", awaiting)
                + " loses its incremental base and will need a full resend")
                + missedBy(state, guid);
    }

    static List<RetainedSnapshot> retained(DatasetState state) {
        return state.snapshotsOldestFirst().stream()
                .map(s -> RetainedSnapshot.of(s.name(), s.guid(), s.createtxg())).toList();
    }

    /**
     * What count rules never prune: held, checkpoints, anything a replication link needs — its base,
     * and every snapshot newer than it, which that link's target has not received yet (while a target
     * is merely offline, its snapshots wait; the usage threshold may take them, and past the policy's
     * maxHeldForReplicas(Days) the oldest expire anyway: see pruneHeldPastBounds).
     */
    static Set<Guid> countProtected(DatasetState state) {
        Set<Guid> guids = capacityProtected(state);
        guids.addAll(state.protections().keySet());
        oldestLinkBase(state).ifPresent(txg -> state.snapshots().values().stream()
                .filter(s -> s.createtxg() > txg).forEach(s -> guids.add(s.guid())));
        return guids;
    }

    /** The createtxg of the oldest snapshot some link holds as its base (or awaits from). */
    private static Optional<Long> oldestLinkBase(DatasetState state) {
        return state.protections().keySet().stream()
                .map(state::snapshot).flatMap(Optional::stream)
                .map(SnapshotInfo::createtxg).min(Long::compare);
    }

    /** Holders whose target has not received {@code guid} yet: it is newer than their base. */
    private static Set<String> notYetReceivedBy(DatasetState state, Guid guid) {
        long txg = state.snapshot(guid).map(SnapshotInfo::createtxg).orElse(Long.MIN_VALUE);
        Set<String> holders = new java.util.TreeSet<>();
        state.protections().forEach((base, byHolder) -> state.snapshot(base)
                .filter(b -> b.createtxg() < txg).ifPresent(b -> holders.addAll(byHolder.keySet())));
        return holders;
    }

    /** What even a full pool never prunes: held, checkpoints, replication bases (not merely awaited ones). */
    static Set<Guid> capacityProtected(DatasetState state) {
        Set<Guid> guids = new HashSet<>();
        for (SnapshotInfo s : state.snapshots().values()) {
            if (s.userRefs() > 0 || state.checkpoints().contains(s.name())
                    || state.holders(s.guid()).containsValue(ProtectionKind.BASE)) {
                guids.add(s.guid());
            }
        }
        return guids;
    }
}
