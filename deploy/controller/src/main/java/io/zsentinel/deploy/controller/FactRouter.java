package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.Envelope;
import io.zsentinel.core.messages.MalformedMessageException;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.messages.agentcommands.RejoinDataset;
import io.zsentinel.core.messages.agentcommands.ReleaseRescue;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.messages.facts.CommandCompleted;
import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.messages.facts.PoolHealthReported;
import io.zsentinel.core.messages.facts.PrimaryStoodDown;
import io.zsentinel.core.messages.facts.SnapshotCreated;
import io.zsentinel.core.messages.facts.SnapshotDestroyed;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.messages.facts.TransferCompleted;
import io.zsentinel.core.messages.facts.TransferFailed;
import io.zsentinel.core.messages.facts.TransferProgressed;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.PoolCondition;
import io.zsentinel.failover.api.RecordHeartbeat;
import io.zsentinel.failover.api.RecordPoolHealth;
import io.zsentinel.failover.api.RecordRejoinOutcome;
import io.zsentinel.failover.api.RecordServiceCommandOutcome;
import io.zsentinel.failover.api.RejoinEvent;
import io.zsentinel.failover.api.ResumePrimary;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.ReconcileInventory;
import io.zsentinel.replication.api.RecordCommandOutcome;
import io.zsentinel.replication.api.RecordSnapshotGone;
import io.zsentinel.replication.api.RecordSnapshotTaken;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.RecordTransferCompleted;
import io.zsentinel.replication.api.link.RecordTransferFailed;
import io.zsentinel.replication.api.link.RecordTransferProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Turns agent facts into aggregate commands. A fact whose Kafka key is not the server it speaks for
 * is refused as malformed: a misrouted or forged fact must not change another server's state.
 * The controller reads agent facts on two paths ({@link Path}): liveness (heartbeats, pool conditions)
 * must never wait behind a burst of inventories.
 */
public final class FactRouter {
    /** The agent commands of a rejoin, whose answers go to the Rejoin aggregate rather than the service's. */
    private static final Set<String> REJOIN_COMMANDS = Set.of(
            RejoinDataset.class.getSimpleName(), ReleaseRescue.class.getSimpleName());
    private static final Logger log = LoggerFactory.getLogger(FactRouter.class);

    /** Which of a fact's effects a consumer of agent facts takes on. */
    public enum Path {
        /** Every effect of every fact (one consumer for all). */
        ALL,
        /**
         * Every fact but liveness: a heartbeat changes nothing here and a pool report only feeds the pool usage,
         * which needs it in order with the server's destroy facts.
         */
        ORDERED,
        /**
         * Only liveness: heartbeats with their peer probes (failure detector, registration) and pool conditions
         * (failure detector, the StorageServer); nothing else.
         */
        LIVENESS
    }

    private final LiveFacts live;
    private final Path path;

    public FactRouter(LiveFacts live) {
        this(live, Path.ALL);
    }

    public FactRouter(LiveFacts live, Path path) {
        this.live = live;
        this.path = path;
    }

    /**
     * A dataset that stands down goes to the service it was promoted for, which resumes it when nothing replaced it.
     * One promoted before the agent recorded services names none: it stays read-only until an operator acts.
     */
    private static List<Object> resume(PrimaryStoodDown d) {
        ServiceName service;
        try {
            service = d.service() == null ? null : ServiceName.of(d.service());
        } catch (IllegalArgumentException e) {
            service = null;
        }
        if (service == null) {
            log.warn("{} on {} stands down since its lease ran out, but names no service it was promoted for: it stays"
                    + " read-only; promote it with a switchover or a forced failover", d.dataset(), d.server());
            return List.of();
        }
        return List.of(new ResumePrimary(service, d.server(), d.dataset(), d.generation(), d.at()));
    }

    /** The aggregate commands for one fact, in order; empty when the fact only feeds liveness or logs. */
    public List<Object> commandsFor(String key, Envelope<Message> envelope) {
        if (!(envelope.payload() instanceof AgentFact fact)) {
            throw new MalformedMessageException(envelope.type() + " is not an agent fact");
        }
        if (key == null || !key.equals(fact.server().value())) {
            throw new MalformedMessageException(envelope.type() + " about server " + fact.server()
                    + " arrived under key " + key);
        }
        if (fact instanceof AgentHeartbeat h) {
            if (path == Path.ORDERED) {
                return List.of();
            }
            live.heartbeat(h);
            return List.of(new RecordHeartbeat(h.server(), h.epoch(), h.at()));
        }
        if (fact instanceof PoolHealthReported p) {
            if (path != Path.LIVENESS) {
                live.poolReported(p);
            }
            if (path != Path.ORDERED) {
                live.poolHealth(p);
            }
            return path == Path.ORDERED ? List.of() : List.of(new RecordPoolHealth(p.server(), new PoolCondition(p.pool(),
                    p.health(), p.capacityPercent(), p.sizeBytes(), p.readErrors(), p.writeErrors(), p.checksumErrors(),
                    p.at())));
        }
        if (path == Path.LIVENESS) {
            return List.of();
        }
        if (fact instanceof SnapshotInventoryReported r) {
            live.inventoryReported(r);
            return List.of(new ReconcileInventory(new DatasetId(r.server(), r.dataset()), r.snapshots(), r.at(),
                    envelope.messageId()));
        }
        if (fact instanceof SnapshotCreated c) {
            return List.of(new RecordSnapshotTaken(new DatasetId(c.server(), c.snapshot().name().dataset()),
                    c.snapshot(), c.commandId(), envelope.messageId()));
        }
        if (fact instanceof SnapshotDestroyed d) {
            live.snapshotDestroyed(d.server(), d.guid());
            return List.of(new RecordSnapshotGone(new DatasetId(d.server(), d.snapshot().dataset()), d.snapshot(),
                    d.guid(), d.commandId(), envelope.occurredAt(), envelope.messageId()));
        }
        if (fact instanceof TransferProgressed t) {
            return link(t.server(), t.link()).<List<Object>>map(l -> List.of(new RecordTransferProgress(l, t.transferId(), t.bytes(),
                    t.at()))).orElse(List.of());
        }
        if (fact instanceof TransferCompleted t) {
            return link(t.server(), t.link()).<List<Object>>map(l -> List.of(new RecordTransferCompleted(l, t.transferId(),
                    t.snapshotGuid(), t.at()))).orElse(List.of());
        }
        if (fact instanceof TransferFailed t) {
            return link(t.server(), t.link()).<List<Object>>map(l -> List.of(new RecordTransferFailed(l, t.transferId(), t.reason(),
                    t.resumeToken(), t.at(), t.retriable()))).orElse(List.of());
        }
        if (fact instanceof CommandCompleted c) {
            if (c.service() != null) {
                return List.of(serviceOutcome(c.server(), c.service(), c.dataset(), c.commandId(), c.commandType(), true,
                        c.detail(), envelope));
            }
            return c.dataset() == null ? List.of() : List.of(new RecordCommandOutcome(new DatasetId(c.server(), c.dataset()),
                    c.commandId(), c.commandType(), true, c.detail(), envelope.occurredAt()));
        }
        if (fact instanceof CommandRejected r) {
            live.commandRejected(r);
            log.warn("server {} rejected command {} ({}): {}", r.server(), r.commandId(), r.commandType(), r.reason());
            if (r.service() != null) {
                return List.of(serviceOutcome(r.server(), r.service(), r.dataset(), r.commandId(), r.commandType(), false,
                        r.reason(), envelope));
            }
            return r.dataset() == null ? List.of() : List.of(new RecordCommandOutcome(new DatasetId(r.server(), r.dataset()),
                    r.commandId(), r.commandType(), false, r.reason(), envelope.occurredAt()));
        }
        if (fact instanceof PrimaryStoodDown d) {
            return resume(d);
        }
        throw new MalformedMessageException("no route for agent fact " + envelope.type());
    }

    /**
     * An agent's answer to a promotion or demotion goes to the service that ordered it; to a rejoin's order, to the
     * rejoin of that server to that service.
     */
    private static Object serviceOutcome(ServerId server, String service, DatasetName dataset, UUID commandId,
                                         String type, boolean succeeded, String detail, Envelope<Message> envelope) {
        if (dataset == null) {
            throw new MalformedMessageException("the answer to " + type + " " + commandId + " of service " + service
                    + " names no dataset");
        }
        ServiceName name;
        try {
            name = ServiceName.of(service);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("the answer to " + type + " " + commandId + ": " + e.getMessage(), e);
        }
        if (REJOIN_COMMANDS.contains(type)) {
            return new RecordRejoinOutcome(RejoinEvent.rejoinId(name, server), server, dataset, commandId, succeeded,
                    detail, envelope.occurredAt());
        }
        return new RecordServiceCommandOutcome(name, server, dataset, commandId, type, succeeded, detail,
                envelope.occurredAt());
    }

    /**
     * The link a transfer fact is about; a fact without one (not ordered by a link) has nothing to update. Only the
     * source's agent sends a link's snapshots, so a fact from another server naming the link is refused: it must not
     * change another server's link, and it would let two lanes' batches lock the same link aggregate.
     */
    private static java.util.Optional<LinkId> link(ServerId from, String name) {
        if (name == null || name.isEmpty()) {
            return java.util.Optional.empty();
        }
        LinkId link;
        try {
            link = LinkId.parse(name);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("transfer fact names an invalid link \"" + name + "\": " + e.getMessage(), e);
        }
        if (!link.source().server().equals(from)) {
            throw new MalformedMessageException("transfer fact from server " + from + " names link " + link
                    + ", whose source is on " + link.source().server() + ": only the source's agent reports its transfers");
        }
        return java.util.Optional.of(link);
    }
}
