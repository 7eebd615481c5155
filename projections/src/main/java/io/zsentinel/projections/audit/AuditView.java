package io.zsentinel.projections.audit;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.FailoverAcknowledged;
import io.zsentinel.failover.api.FailoverRefused;
import io.zsentinel.failover.api.MaintenanceModeChanged;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.RejoinStarted;
import io.zsentinel.failover.api.RescueReleaseOrdered;
import io.zsentinel.failover.api.StandbyChosen;
import io.zsentinel.failover.api.SwitchoverStarted;
import io.zsentinel.replication.api.AgentCommandFailed;
import io.zsentinel.replication.api.AgentCommandSucceeded;
import io.zsentinel.replication.api.CheckpointOrdered;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.OperatorActionRecorded;
import io.zsentinel.replication.api.RestoreOrdered;
import io.zsentinel.replication.api.RollbackOrdered;
import io.zsentinel.replication.api.SnapshotPruned;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotRemoved;
import io.zsentinel.replication.api.SnapshotScheduled;
import io.zsentinel.replication.api.link.DivergenceResolutionOrdered;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPaused;
import io.zsentinel.replication.api.link.LinkResumed;
import io.zsentinel.replication.api.link.SyncRequested;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The audit log (who ordered what, why) and the lifecycle of every agent command a dataset ordered,
 * in memory and rebuilt from the event store on start. Keyed by command id, so a redelivered event
 * changes nothing; an operation only moves ordered → failed → (re-ordered) → succeeded, and a
 * succeeded one stays so. Bounded: the oldest entries go first.
 */
@ProcessingGroup(AuditView.PROCESSING_GROUP)
public class AuditView {
    public static final String PROCESSING_GROUP = "audit";
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final Map<UUID, AuditEntry> audit = new LinkedHashMap<>();
    private final Map<UUID, Operation> operations = new LinkedHashMap<>();
    /** Prune operations still waiting for their snapshot to go, by the guid they destroy. */
    private final Map<Guid, UUID> pruneByGuid = new HashMap<>();
    /** Snapshots ordered taken ({@code server:dataset@name}), to settle when one is recorded without its command. */
    private final Map<String, UUID> takeByName = new HashMap<>();

    public AuditView() {
        this(DEFAULT_CAPACITY);
    }

    /** Keeps at most {@code capacity} audit entries and as many operations. */
    public AuditView(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        this.capacity = capacity;
    }

    @EventHandler
    public synchronized void on(OperatorActionRecorded e) {
        if (e.commandId() == null || audit.containsKey(e.commandId())) {
            return;
        }
        audit.put(e.commandId(), new AuditEntry(e.at(), e.id().server(), e.id().dataset(), e.operator().name(),
                e.action(), e.reason(), e.commandId(), AuditEntry.RECORDED, null));
        evictOldest(audit);
        operations.computeIfPresent(e.commandId(), (id, op) -> op.orderedBy(e.operator().name()));
        outcomeToAudit(e.commandId());
    }

    @EventHandler
    public void on(LinkPaused e) {
        linkAction(e.linkId(), "pause", e.operator(), e.reason(), e.at());
    }

    @EventHandler
    public void on(LinkResumed e) {
        linkAction(e.linkId(), "resume", e.operator(), e.reason(), e.at());
    }

    @EventHandler
    public void on(SyncRequested e) {
        linkAction(e.linkId(), "sync-now", e.operator(), e.reason(), e.at());
    }

    @EventHandler
    public void on(DivergenceResolutionOrdered e) {
        linkAction(e.linkId(), "resolve --rollback-target" + (e.rollbackTo() == null ? " (full stream)"
                : " to " + e.rollbackTo().name().shortName()), e.operator(), e.reason(), e.at());
    }

    /** Maintenance mode of a whole server: an entry without a dataset. */
    @EventHandler
    public synchronized void on(MaintenanceModeChanged e) {
        UUID id = UUID.nameUUIDFromBytes((e.server() + "|maintenance|" + e.on() + "|" + e.at()).getBytes(StandardCharsets.UTF_8));
        if (audit.containsKey(id)) {
            return;
        }
        audit.put(id, new AuditEntry(e.at(), e.server(), null, e.by().operator(),
                e.on() ? "maintenance on: no automatic failover away from it" : "maintenance off", e.by().reason(), id,
                AuditEntry.RECORDED, null));
        evictOldest(audit);
    }

    /** An operator's forced failover, chosen: an entry on the server failed over from. */
    @EventHandler
    public void on(StandbyChosen e) {
        if (e.forced() != null) {
            serviceAction(e.failedPrimary(), e.service() + "|force|" + e.at(), e.forced(), "failover force "
                    + e.service() + " --to " + e.chosen() + ": ordered", e.at());
        }
    }

    /** An operator's forced failover, refused by the rules: recorded with why. */
    @EventHandler
    public void on(FailoverRefused e) {
        if (e.forced() != null) {
            serviceAction(e.failedPrimary(), e.service() + "|force|" + e.at(), e.forced(), "failover force "
                    + e.service() + ": refused (" + String.join("; ", e.reasons()) + ")", e.at());
        }
    }

    /** An operator's planned switchover, ordered (a refused one changed nothing: its 409 says why). */
    @EventHandler
    public void on(SwitchoverStarted e) {
        serviceAction(e.from(), e.service() + "|switchover|" + e.failover(), e.by(), "switchover " + e.service()
                + " --to " + e.to() + ": ordered, generation " + e.generation(), e.at());
    }

    @EventHandler
    public void on(FailoverAcknowledged e) {
        serviceAction(null, e.service() + "|ack|" + e.at(), e.by(), "failover ack " + e.service()
                + ": automatic failover armed again", e.at());
    }

    @EventHandler
    public void on(RejoinStarted e) {
        serviceAction(e.server(), e.service() + "|rejoin|" + e.server() + "|" + e.at(), e.by(), "rejoin " + e.server()
                + " to " + e.service() + " as a replica of " + e.newPrimary() + " at generation " + e.generation(), e.at());
    }

    @EventHandler
    public void on(RescueReleaseOrdered e) {
        serviceAction(e.server(), e.service() + "|rescue-release|" + e.rescue() + "|" + e.at(), e.by(),
                "rescue release " + e.server() + ":" + e.rescue() + " (divergent state of " + e.rescuedFrom() + ")",
                e.at());
    }

    private synchronized void serviceAction(ServerId server, String key, OperatorOrder by, String action, Instant at) {
        UUID id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
        if (audit.containsKey(id)) {
            return;
        }
        audit.put(id, new AuditEntry(at, server, null, by.operator(), action, by.reason(), id, AuditEntry.RECORDED, null));
        evictOldest(audit);
    }

    /**
     * A link command an operator gave, on the link's source dataset. Link events carry no command id: one
     * is derived from the link, action and time, so a redelivered event is recognised.
     */
    private synchronized void linkAction(LinkId link, String action, Operator operator, String reason, Instant at) {
        UUID id = UUID.nameUUIDFromBytes((link + "|" + action + "|" + at).getBytes(StandardCharsets.UTF_8));
        if (audit.containsKey(id)) {
            return;
        }
        audit.put(id, new AuditEntry(at, link.source().server(), link.source().dataset(),
                operator == null ? "" : operator.name(), "replication " + action + " " + link, reason, id,
                AuditEntry.RECORDED, null));
        evictOldest(audit);
    }

    @EventHandler
    public synchronized void on(CheckpointOrdered e) {
        if (ordered(e.id(), e.commandId(), "checkpoint", e.snapshot(), "take checkpoint " + e.snapshot().shortName(),
                e.at())) {
            takeByName.put(taken(e.id(), e.snapshot()), e.commandId());
        }
    }

    @EventHandler
    public void on(RollbackOrdered e) {
        String destroyed = e.destroyed().isEmpty() ? "" : ", destroying "
                + e.destroyed().stream().map(SnapshotName::shortName).collect(Collectors.joining(", "));
        ordered(e.id(), e.commandId(), "rollback", e.snapshot(), "roll back to " + e.snapshot().shortName() + destroyed,
                e.at());
    }

    @EventHandler
    public void on(RestoreOrdered e) {
        String to = e.targetDirectory().isEmpty() ? "the agent's restore directory" : e.targetDirectory();
        ordered(e.id(), e.commandId(), "restore", e.snapshot(), "restore " + e.path() + " to " + to, e.at());
    }

    @EventHandler
    public synchronized void on(SnapshotScheduled e) {
        if (ordered(e.id(), e.commandId(), "snapshot", e.name(),
                "take " + e.klass().configName() + " snapshot " + e.name().shortName(), e.at())) {
            takeByName.put(taken(e.id(), e.name()), e.commandId());
        }
    }

    private static String taken(DatasetId id, SnapshotName name) {
        return id.server() + ":" + name.full();
    }

    @EventHandler
    public synchronized void on(SnapshotPruned e) {
        if (ordered(e.id(), e.commandId(), "prune", e.name(), "destroy " + e.name().shortName() + ": " + e.reason(),
                e.at())) {
            pruneByGuid.put(e.guid(), e.commandId());
        }
    }

    @EventHandler
    public void on(AgentCommandSucceeded e) {
        settle(e.commandId(), Operation.SUCCEEDED, e.detail(), e.at());
    }

    @EventHandler
    public void on(AgentCommandFailed e) {
        settle(e.commandId(), Operation.FAILED, e.reason(), e.at());
    }

    /**
     * The agent may report the new snapshot before (or instead of) the command's outcome; its inventory scan may
     * even report it first, without the command: a snapshot of the ordered name then settles the order too.
     */
    @EventHandler
    public synchronized void on(SnapshotRecorded e) {
        UUID commandId = e.commandId() != null ? e.commandId() : takeByName.get(taken(e.id(), e.snapshot().name()));
        if (commandId != null) {
            settle(commandId, Operation.SUCCEEDED, "snapshot " + e.snapshot().name() + " recorded", e.observedAt());
        }
    }

    @EventHandler
    public synchronized void on(SnapshotRemoved e) {
        UUID commandId = pruneByGuid.get(e.guid());
        if (commandId != null) {
            settle(commandId, Operation.SUCCEEDED, e.name() + " " + e.reason(), e.at());
        }
    }

    @ResetHandler
    public synchronized void reset() {
        audit.clear();
        operations.clear();
        pruneByGuid.clear();
        takeByName.clear();
    }

    /** Newest first, of one dataset (on any server) or of all. */
    public synchronized List<AuditEntry> audit(Optional<DatasetName> dataset, int limit) {
        return newestFirst(audit, e -> dataset.isEmpty() || dataset.get().equals(e.dataset()), limit);
    }

    public synchronized Optional<Operation> operation(UUID commandId) {
        return Optional.ofNullable(operations.get(commandId));
    }

    /** Newest order first, of one dataset (on any server) or of all. */
    public synchronized List<Operation> operations(Optional<DatasetName> dataset, int limit) {
        return newestFirst(operations, o -> dataset.isEmpty() || dataset.get().equals(o.dataset()), limit);
    }

    /** True if the operation was created (or re-opened by a retry ordered after it settled). */
    private synchronized boolean ordered(DatasetId id, UUID commandId, String kind, SnapshotName subject,
                                         String description, Instant at) {
        if (commandId == null) {
            return false;
        }
        Operation existing = operations.get(commandId);
        if (existing != null && !(existing.status().equals(Operation.FAILED) && at.isAfter(existing.settledAt()))) {
            return false; // a redelivery; only a failed command is ordered again (a retry, same id)
        }
        AuditEntry audited = audit.get(commandId);
        operations.remove(commandId); // a retry moves to the newest end
        operations.put(commandId, new Operation(commandId, id.server(), id.dataset(), kind, subject.full(), description,
                at, audited == null ? null : audited.operator(), Operation.ORDERED, null, null));
        evictOldest(operations);
        outcomeToAudit(commandId);
        return true;
    }

    private synchronized void settle(UUID commandId, String status, String detail, Instant at) {
        Operation op = operations.get(commandId);
        if (op == null || op.status().equals(Operation.SUCCEEDED)) {
            return;
        }
        operations.put(commandId, op.settle(status, detail, at));
        outcomeToAudit(commandId);
        if (status.equals(Operation.SUCCEEDED)) {
            pruneByGuid.values().remove(commandId);
            takeByName.values().remove(commandId);
        }
    }

    /** The audit entry of an operator's command shows its operation's latest status. */
    private void outcomeToAudit(UUID commandId) {
        Operation op = operations.get(commandId);
        if (op != null) {
            audit.computeIfPresent(commandId, (id, entry) -> entry.withOutcome(op));
        }
    }

    private void evictOldest(Map<UUID, ?> map) {
        Iterator<UUID> oldest = map.keySet().iterator();
        while (map.size() > capacity && oldest.hasNext()) {
            UUID evicted = oldest.next();
            oldest.remove();
            if (map == operations) {
                pruneByGuid.values().remove(evicted);
                takeByName.values().remove(evicted);
            }
        }
    }

    private static <T> List<T> newestFirst(Map<UUID, T> map, Predicate<T> filter, int limit) {
        List<T> all = new ArrayList<>(map.values());
        List<T> result = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && result.size() < limit; i--) {
            if (filter.test(all.get(i))) {
                result.add(all.get(i));
            }
        }
        return result;
    }
}
