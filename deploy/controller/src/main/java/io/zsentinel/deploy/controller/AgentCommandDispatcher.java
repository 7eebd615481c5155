package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.Envelope;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.MessageTypes;
import io.zsentinel.core.messages.agentcommands.AgentCommand;
import io.zsentinel.core.messages.agentcommands.DemoteDataset;
import io.zsentinel.core.messages.agentcommands.DestroySnapshot;
import io.zsentinel.core.messages.agentcommands.HoldSnapshot;
import io.zsentinel.core.messages.agentcommands.ForgetLink;
import io.zsentinel.core.messages.agentcommands.PromoteDataset;
import io.zsentinel.core.messages.agentcommands.RejoinDataset;
import io.zsentinel.core.messages.agentcommands.ReleaseHold;
import io.zsentinel.core.messages.agentcommands.ReleaseRescue;
import io.zsentinel.core.messages.agentcommands.RestoreFromSnapshot;
import io.zsentinel.core.messages.agentcommands.RollbackDataset;
import io.zsentinel.core.messages.agentcommands.StartTransfer;
import io.zsentinel.core.messages.agentcommands.TakeSnapshot;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.DatasetRejoinOrdered;
import io.zsentinel.failover.api.DemotionRequested;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.FinalSnapshotRequested;
import io.zsentinel.failover.api.PrimaryResumed;
import io.zsentinel.failover.api.PromotionRequested;
import io.zsentinel.failover.api.RescueReleaseOrdered;
import io.zsentinel.failover.api.SwitchoverAborted;
import io.zsentinel.failover.api.SwitchoverCompleted;
import io.zsentinel.failover.api.SwitchoverStarted;
import io.zsentinel.replication.api.CheckpointOrdered;
import io.zsentinel.replication.api.CheckpointReleased;
import io.zsentinel.replication.api.ProtectionReleased;
import io.zsentinel.replication.api.RestoreOrdered;
import io.zsentinel.replication.api.RollbackOrdered;
import io.zsentinel.replication.api.SnapshotProtected;
import io.zsentinel.replication.api.SnapshotPruned;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotScheduled;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkRetired;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.dataset.ZfsHolds;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Turns the aggregates' orders (events) into agent commands on {@code zsentinel.agent-commands}
 * (key = server), waiting for the broker's ack before its token advances. The envelope's time is
 * the event's, so an order that sat in the store while the controller was down arrives stale and
 * the agent refuses it; the aggregate re-orders what is still needed.
 * <p>
 * Events come in batches of {@link #BATCH_SIZE}, one token update per batch: most events (every recorded snapshot)
 * order nothing, and a token write and commit per event made this processor fall behind a burst. A batch that fails
 * part-way is sent again whole, so the commands before the failure reach the agent twice: harmless, because every
 * command id is the event's or derived from its id, and an agent answers a command id it has seen with the same
 * outcome (a transfer id it has seen starts no second stream).
 */
@DisallowReplay
public final class AgentCommandDispatcher {
    public static final String PROCESSOR = "agent-command-dispatcher";
    /** Events per batch of the processor (each command still waits for its ack before the next is sent). */
    public static final int BATCH_SIZE = 100;
    private static final Logger log = LoggerFactory.getLogger(AgentCommandDispatcher.class);

    private final MessageTypes types = CoreMessages.types();
    private final EnvelopeCodec codec = new EnvelopeCodec(types);
    private final DomainEventPublisher.Sink sink;
    /** The epoch of this controller's lease, asked before each command: it throws once the lease may have lapsed. */
    private final LongSupplier epoch;
    private final ToLongFunction<LinkId> bandwidthLimit;
    private final ToLongFunction<LinkId> generation;
    /**
     * The switchovers running as this processor has seen them: the generation an old primary's final send carries is
     * known in order with the {@link ReplicationScheduled} that follows, never behind a view that has not yet seen
     * the switchover (its first final send then carried 0, was refused, and waited for the retry: ~10 s of gap).
     */
    private final Map<FailoverId, SwitchoverStarted> switchovers = new ConcurrentHashMap<>();

    public AgentCommandDispatcher(DomainEventPublisher.Sink sink, long epoch) {
        this(sink, epoch, link -> 0);
    }

    /** {@code bandwidthLimit}: bytes per second a link's transfers may use (0: no limit). */
    public AgentCommandDispatcher(DomainEventPublisher.Sink sink, long epoch, ToLongFunction<LinkId> bandwidthLimit) {
        this(sink, epoch, bandwidthLimit, link -> 0);
    }

    /**
     * {@code generation}: the fencing token a link's transfers carry (a failover's new primary sends at its service's
     * generation; 0 for a link no failover made), read when the order is sent.
     */
    public AgentCommandDispatcher(DomainEventPublisher.Sink sink, long epoch, ToLongFunction<LinkId> bandwidthLimit,
                                  ToLongFunction<LinkId> generation) {
        this(sink, () -> epoch, bandwidthLimit, generation);
    }

    /**
     * {@code epoch}: asked before every command is sent; when it throws (the controller's lease may have lapsed) no
     * command goes out, the batch fails and its token stays, so the next holder of the lease sends the orders.
     */
    public AgentCommandDispatcher(DomainEventPublisher.Sink sink, LongSupplier epoch, ToLongFunction<LinkId> bandwidthLimit,
                                  ToLongFunction<LinkId> generation) {
        this.bandwidthLimit = bandwidthLimit;
        this.generation = generation;
        this.sink = sink;
        this.epoch = epoch;
    }

    /** The processor for {@link #PROCESSOR}: one thread, batches of {@link #BATCH_SIZE} events. */
    public static TrackingEventProcessorConfiguration processorConfiguration() {
        return TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(BATCH_SIZE);
    }

    @EventHandler
    public void on(SnapshotScheduled e, EventMessage<?> m) {
        send(new TakeSnapshot(e.commandId(), e.id().server(), epoch(), e.name()), m);
    }

    @EventHandler
    public void on(SnapshotPruned e, EventMessage<?> m) {
        send(new DestroySnapshot(e.commandId(), e.id().server(), epoch(), e.name(), e.guid()), m);
    }

    @EventHandler
    public void on(CheckpointOrdered e, EventMessage<?> m) {
        send(new TakeSnapshot(e.commandId(), e.id().server(), epoch(), e.snapshot()), m);
    }

    /** A checkpoint is held in ZFS too (where holds exist); which snapshots and tags: {@link ZfsHolds}. */
    @EventHandler
    public void on(SnapshotRecorded e, EventMessage<?> m) {
        ZfsHolds.checkpointHold(e).ifPresent(tag -> send(new HoldSnapshot(derived(m, "hold"), e.id().server(), epoch(),
                e.snapshot().name(), e.snapshot().guid(), tag), m));
    }

    @EventHandler
    public void on(CheckpointReleased e, EventMessage<?> m) {
        ZfsHolds.checkpointRelease(e).ifPresent(tag -> send(new ReleaseHold(derived(m, "release"), e.id().server(), epoch(),
                e.snapshot(), e.guid(), tag), m));
    }

    @EventHandler
    public void on(SnapshotProtected e, EventMessage<?> m) {
        ZfsHolds.baseHold(e).ifPresent(tag -> send(new HoldSnapshot(derived(m, "hold"), e.id().server(), epoch(), e.name(),
                e.guid(), tag), m));
    }

    @EventHandler
    public void on(ProtectionReleased e, EventMessage<?> m) {
        ZfsHolds.baseRelease(e).ifPresent(tag -> send(new ReleaseHold(derived(m, "release"), e.id().server(), epoch(),
                e.name(), e.guid(), tag), m));
    }

    /** The source server's agent streams the snapshots to the target; the link's name comes back in its facts. */
    @EventHandler
    public void on(ReplicationScheduled e, EventMessage<?> m) {
        LinkId link = e.linkId();
        send(new StartTransfer(e.transferId(), link.source().server(), epoch(), e.transferId(),
                e.from() == null ? null : e.from().name(), e.to().name(), e.intermediates(), link.target().server(),
                link.target().dataset(), e.resumeToken(), bandwidthLimit.applyAsLong(link), e.rollbackTarget(),
                link.toString(), e.fromBookmark(), e.policy(), sendingGeneration(link)), m);
    }

    @EventHandler
    public void on(SwitchoverStarted e) {
        switchovers.put(e.failover(), e);
    }

    @EventHandler
    public void on(SwitchoverCompleted e) {
        switchovers.remove(e.failover());
    }

    @EventHandler
    public void on(SwitchoverAborted e) {
        switchovers.remove(e.failover());
    }

    /**
     * The link's generation ({@code generation}: a failover's new primary, or a switchover the views show), or, when a
     * switchover this processor saw demoted the link's source, the generation it was demoted at (the switchover's
     * minus one): its agent refuses older orders from a demoted dataset.
     */
    private long sendingGeneration(LinkId link) {
        long demotedAt = switchovers.values().stream().filter(w -> w.from().equals(link.source().server())
                        && w.datasets().stream().anyMatch(d -> d.primaryDataset().equals(link.source().dataset())))
                .mapToLong(w -> w.generation() - 1).max().orElse(0);
        return Math.max(demotedAt, generation.applyAsLong(link));
    }

    /** A link that left the configuration: its cursor bookmarks go (its hold goes with the base's release). */
    @EventHandler
    public void on(LinkRetired e, EventMessage<?> m) {
        send(new ForgetLink(derived(m, "forget"), e.source().server(), epoch(), e.source().dataset(),
                e.linkId().toString()), m);
    }

    @EventHandler
    public void on(RollbackOrdered e, EventMessage<?> m) {
        send(new RollbackDataset(e.commandId(), e.id().server(), epoch(), e.snapshot(), e.destroyNewer()), m);
    }

    @EventHandler
    public void on(RestoreOrdered e, EventMessage<?> m) {
        send(new RestoreFromSnapshot(e.commandId(), e.id().server(), epoch(), e.snapshot(), e.path(), e.targetDirectory()), m);
    }

    /** A failover promotes the chosen standby's copy: rolled back, writable, at the service's new generation. */
    @EventHandler
    public void on(PromotionRequested e, EventMessage<?> m) {
        send(new PromoteDataset(e.commandId(), e.server(), epoch(), e.dataset(), e.service().value(), e.generation(),
                e.rollbackTo()), m);
    }

    /** A former primary's copy becomes a read-only replica (its agent gets it when it is back, within the command's TTL). */
    @EventHandler
    public void on(DemotionRequested e, EventMessage<?> m) {
        send(new DemoteDataset(e.commandId(), e.server(), epoch(), e.dataset(), e.service().value(), e.generation()), m);
    }

    /** A switchover's final snapshot on the read-only old primary (its inventory then shows it, with its guid). */
    @EventHandler
    public void on(FinalSnapshotRequested e, EventMessage<?> m) {
        send(new TakeSnapshot(e.commandId(), e.server(), epoch(), e.snapshot()), m);
    }

    /** A primary that stood down on its own lease, resumed: made writable again at the new generation, as it is. */
    @EventHandler
    public void on(PrimaryResumed e, EventMessage<?> m) {
        send(new PromoteDataset(e.commandId(), e.server(), epoch(), e.dataset(), e.service().value(), e.generation(),
                null), m);
    }

    private long epoch() {
        return epoch.getAsLong();
    }

    /** A rejoin's order to the former primary's agent: keep what lies after the common snapshot, roll back to it. */
    @EventHandler
    public void on(DatasetRejoinOrdered e, EventMessage<?> m) {
        send(new RejoinDataset(e.commandId(), e.server(), epoch(), e.dataset(), e.service().value(), e.generation(),
                e.common(), e.commonGuid(), e.rescue()), m);
    }

    /** An operator's release of a rescue a rejoin kept. */
    @EventHandler
    public void on(RescueReleaseOrdered e, EventMessage<?> m) {
        send(new ReleaseRescue(e.commandId(), e.server(), epoch(), e.rescue(), e.rescuedFrom(), e.service().value(),
                e.generation()), m);
    }

    private void send(AgentCommand command, EventMessage<?> cause) {
        order(command, cause.getTimestamp());
    }

    /** Sends {@code command}, issued at {@code at}, to its server's agent, waiting for the broker's ack. */
    public void order(AgentCommand command, java.time.Instant at) {
        epoch(); // a command built before the lease lapsed still waits for it here
        ServerId server = command.server();
        MessageTypes.Type type = types.of(command.getClass());
        Envelope<AgentCommand> envelope = new Envelope<>(command.commandId(), type.name(), type.version(),
                at, "controller", command);
        sink.sendAndWait(server.value(), codec.encode(envelope));
        log.debug("ordered {} {} from {}", envelope.type(), command.commandId(), server);
    }

    /** A stable id for a command that follows from an event (redelivery yields the same id). */
    private static UUID derived(EventMessage<?> cause, String what) {
        return UUID.nameUUIDFromBytes((cause.getIdentifier() + "|" + what).getBytes(StandardCharsets.UTF_8));
    }
}
