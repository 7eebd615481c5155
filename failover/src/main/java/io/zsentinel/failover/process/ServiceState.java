package io.zsentinel.failover.process;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.failover.api.DatasetPromotion;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.FailoverStep;
import io.zsentinel.failover.api.HookKind;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.ServiceName;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What a service's failovers have left, folded from its events: who serves it ({@code primary}), the highest
 * {@code generation} handed out (raised when a failover starts, so datasets an aborted failover promoted never share
 * a token with the next one), the failover that runs ({@code running}, null when none), why automatic failover is
 * blocked ({@code blockedBy}, null when armed), the hooks requested and not yet answered, and the demotions sent to
 * former primaries and not yet carried out (by command id). {@code servedAt}: the generation the primary's datasets
 * carry (set by the registration, a switch and a resume; an aborted failover raises {@code generation} only);
 * {@code resumedFrom}: the generation the last resume started from (0: none since the last switch), so that each
 * dataset that stood down with it is resumed at the same new generation.
 */
public record ServiceState(ServiceName service, boolean registered, ServerId primary, List<ServerId> standbys,
                           long generation, String blockedBy, Running running, Set<PendingHook> pendingHooks,
                           Map<UUID, PendingDemotion> pendingDemotions, long servedAt, long resumedFrom) {
    public ServiceState {
        standbys = List.copyOf(standbys);
        pendingHooks = Collections.unmodifiableSet(new HashSet<>(pendingHooks));
        pendingDemotions = Collections.unmodifiableMap(new LinkedHashMap<>(pendingDemotions));
    }

    public static ServiceState initial(ServiceName service) {
        return new ServiceState(service, false, null, List.of(), 0, null, null, Set.of(), Map.of(), 0, 0);
    }

    /** A hook the service waits to hear of: an outcome of none of these is duplicate, late or unknown. */
    public record PendingHook(FailoverId failover, HookKind kind, ServerId server) {
    }

    /** A promotion command sent to the new primary's agent: try {@code attempt} of {@code dataset}. */
    public record PendingPromotion(UUID commandId, int attempt, SnapshotName rollbackTo) {
    }

    /**
     * A switchover's progress before the promotion: who ordered it, whether the old primary's demote hook succeeded,
     * which of its datasets are read-only, the final snapshot taken of each (by the old primary's dataset name) and
     * which of those the standby holds.
     */
    public record Planned(OperatorOrder by, boolean hookDone, Set<DatasetName> demoted, Map<DatasetName, Taken> taken,
                          Set<DatasetName> received) {
        public Planned {
            demoted = Collections.unmodifiableSet(new TreeSet<>(demoted));
            taken = Collections.unmodifiableMap(new TreeMap<>(taken));
            received = Collections.unmodifiableSet(new TreeSet<>(received));
        }

        Planned hookSucceeded() {
            return new Planned(by, true, demoted, taken, received);
        }

        Planned demoted(DatasetName dataset) {
            Set<DatasetName> copy = new HashSet<>(demoted);
            copy.add(dataset);
            return new Planned(by, hookDone, copy, taken, received);
        }

        Planned taken(SnapshotName snapshot, Guid guid) {
            Map<DatasetName, Taken> copy = new HashMap<>(taken);
            copy.put(snapshot.dataset(), new Taken(snapshot, guid));
            return new Planned(by, hookDone, demoted, copy, received);
        }

        Planned received(DatasetName dataset) {
            Set<DatasetName> copy = new HashSet<>(received);
            copy.add(dataset);
            return new Planned(by, hookDone, demoted, taken, copy);
        }
    }

    /** A switchover's final snapshot on the old primary and its guid (what the standby must hold). */
    public record Taken(SnapshotName snapshot, Guid guid) {
    }

    /** A demotion command for a former primary, answered when its agent comes back. */
    public record PendingDemotion(ServerId server, DatasetName dataset, long generation) {
    }

    /**
     * The failover that runs: from {@code failedPrimary} to {@code to} at {@code generation}, at {@code step}.
     * {@code fenced}: the failed primary can no longer write (promotion may begin); {@code fenceFailure}: what its
     * fence hook said when it failed (promotion then waits for {@code leaseLapsesAt}). {@code promotions}: each
     * dataset's promotion command awaiting its answer; {@code promoted}: the datasets already promoted.
     * {@code promoteHookFailure}: what the promote hook said when it failed, for the block reason.
     */
    public record Running(FailoverId id, ServerId failedPrimary, ServerId to, long generation,
                          List<DatasetPromotion> datasets, Instant leaseLapsesAt, Instant deadline, FailoverStep step,
                          boolean fenced, String fenceFailure, Map<DatasetName, PendingPromotion> promotions,
                          Set<DatasetName> promoted, String promoteHookFailure, Planned planned) {
        public Running {
            datasets = List.copyOf(datasets);
            promotions = Collections.unmodifiableMap(new TreeMap<>(promotions));
            promoted = Collections.unmodifiableSet(new TreeSet<>(promoted));
        }

        static Running started(FailoverId id, ServerId failedPrimary, ServerId to, long generation,
                               List<DatasetPromotion> datasets, Instant leaseLapsesAt, Instant deadline) {
            return new Running(id, failedPrimary, to, generation, datasets, leaseLapsesAt, deadline, FailoverStep.FENCING,
                    false, null, Map.of(), Set.of(), null, null);
        }

        /** A planned switchover, demoting its old primary first ({@code fenced} once the final snapshot is on {@code to}). */
        static Running switchover(FailoverId id, ServerId from, ServerId to, long generation,
                                  List<DatasetPromotion> datasets, Instant deadline, OperatorOrder by) {
            return new Running(id, from, to, generation, datasets, deadline, deadline, FailoverStep.DEMOTING, false, null,
                    Map.of(), Set.of(), null, new Planned(by, false, Set.of(), Map.of(), Set.of()));
        }

        /** True for a planned switchover, false for a failover. */
        public boolean isSwitchover() {
            return planned != null;
        }

        /** The datasets as named on the old primary (what it demotes, snapshots and sends). */
        public List<DatasetName> primaryDatasets() {
            return datasets.stream().map(DatasetPromotion::primaryDataset).toList();
        }

        Running withPlanned(Planned next, FailoverStep nextStep) {
            return new Running(id, failedPrimary, to, generation, datasets, leaseLapsesAt, deadline, nextStep,
                    nextStep == FailoverStep.PROMOTING || fenced, fenceFailure, promotions, promoted, promoteHookFailure,
                    next);
        }

        /** True once every dataset of the failover is promoted. */
        public boolean allPromoted() {
            return datasets.stream().allMatch(d -> promoted.contains(d.dataset()));
        }

        Running fencedNow() {
            return new Running(id, failedPrimary, to, generation, datasets, leaseLapsesAt, deadline, FailoverStep.PROMOTING,
                    true, fenceFailure, promotions, promoted, promoteHookFailure, planned);
        }

        Running fenceFailed(String detail) {
            return new Running(id, failedPrimary, to, generation, datasets, leaseLapsesAt, deadline, step, fenced, detail,
                    promotions, promoted, promoteHookFailure, planned);
        }

        Running promoting(DatasetName dataset, PendingPromotion pending) {
            Map<DatasetName, PendingPromotion> copy = new HashMap<>(promotions);
            copy.put(dataset, pending);
            return new Running(id, failedPrimary, to, generation, datasets, leaseLapsesAt, deadline, step, fenced,
                    fenceFailure, copy, promoted, promoteHookFailure, planned);
        }

        Running answered(DatasetName dataset, boolean promotedNow) {
            Map<DatasetName, PendingPromotion> copy = new HashMap<>(promotions);
            copy.remove(dataset);
            Set<DatasetName> done = new HashSet<>(promoted);
            if (promotedNow) {
                done.add(dataset);
            }
            return new Running(id, failedPrimary, to, generation, datasets, leaseLapsesAt, deadline, step, fenced,
                    fenceFailure, copy, done, promoteHookFailure, planned);
        }

        Running switching() {
            return new Running(id, failedPrimary, to, generation, datasets, leaseLapsesAt, deadline, FailoverStep.SWITCHING,
                    fenced, fenceFailure, promotions, promoted, promoteHookFailure, planned);
        }

        Running promoteHookFailed(String detail) {
            return new Running(id, failedPrimary, to, generation, datasets, leaseLapsesAt, deadline, step, fenced,
                    fenceFailure, promotions, promoted, detail, planned);
        }
    }

    ServiceState registered(ServerId primary, List<ServerId> standbys, long generation) {
        return new ServiceState(service, true, primary, standbys, generation, blockedBy, running, pendingHooks,
                pendingDemotions, servedAt, resumedFrom);
    }

    ServiceState running(Running running) {
        long highest = running == null ? generation : Math.max(generation, running.generation());
        return new ServiceState(service, registered, primary, standbys, highest, blockedBy, running, pendingHooks,
                pendingDemotions, servedAt, resumedFrom);
    }

    /** The running failover ended; the service is served by {@code primary} and blocked by {@code reason}. */
    ServiceState ended(ServerId primary, String reason) {
        FailoverId id = running.id();
        Set<PendingHook> hooks = new HashSet<>(pendingHooks);
        hooks.removeIf(h -> id.equals(h.failover())); // their answers come too late now
        return new ServiceState(service, registered, primary, standbys, generation, reason, null, hooks, pendingDemotions,
                servedAt, resumedFrom);
    }

    /**
     * The running switchover ended: {@code primary} serves at generation {@code highest} at least, the block (an
     * earlier failover's) as it was; demotions of {@code primary} still pending are dropped when {@code primary}
     * serves again (a later pool event must not demote the server promoted back).
     */
    ServiceState switchoverEnded(ServerId primary, long highest) {
        FailoverId id = running.id();
        Set<PendingHook> hooks = new HashSet<>(pendingHooks);
        hooks.removeIf(h -> id.equals(h.failover()));
        Map<UUID, PendingDemotion> demotions = new LinkedHashMap<>(pendingDemotions);
        demotions.values().removeIf(d -> d.server().equals(primary));
        return new ServiceState(service, registered, primary, standbys, Math.max(generation, highest), blockedBy, null,
                hooks, demotions, servedAt, resumedFrom);
    }

    /** The primary's datasets carry {@code servedAt} now: a switch (nothing resumed since) or a resume from {@code from}. */
    ServiceState served(long servedAt, long from) {
        return new ServiceState(service, registered, primary, standbys, Math.max(generation, servedAt), blockedBy, running,
                pendingHooks, pendingDemotions, servedAt, from);
    }

    ServiceState unblocked() {
        return new ServiceState(service, registered, primary, standbys, generation, null, running, pendingHooks,
                pendingDemotions, servedAt, resumedFrom);
    }

    ServiceState hookRequested(PendingHook hook) {
        Set<PendingHook> hooks = new HashSet<>(pendingHooks);
        hooks.add(hook);
        return new ServiceState(service, registered, primary, standbys, generation, blockedBy, running, hooks,
                pendingDemotions, servedAt, resumedFrom);
    }

    ServiceState hookAnswered(PendingHook hook) {
        Set<PendingHook> hooks = new HashSet<>(pendingHooks);
        hooks.remove(hook);
        return new ServiceState(service, registered, primary, standbys, generation, blockedBy, running, hooks,
                pendingDemotions, servedAt, resumedFrom);
    }

    ServiceState demotionRequested(UUID commandId, PendingDemotion demotion) {
        Map<UUID, PendingDemotion> copy = new LinkedHashMap<>(pendingDemotions);
        copy.put(commandId, demotion);
        return new ServiceState(service, registered, primary, standbys, generation, blockedBy, running, pendingHooks, copy,
                servedAt, resumedFrom);
    }

    ServiceState demoted(UUID commandId) {
        Map<UUID, PendingDemotion> copy = new LinkedHashMap<>(pendingDemotions);
        copy.remove(commandId);
        return new ServiceState(service, registered, primary, standbys, generation, blockedBy, running, pendingHooks, copy,
                servedAt, resumedFrom);
    }
}
