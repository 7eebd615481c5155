package io.zsentinel.deploy.agent;

import io.zsentinel.core.hooks.HookRunner;

import io.zsentinel.core.kafka.KafkaSettings;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.TopicConsumerLoop;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.Envelope;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.MalformedMessageException;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.messages.agentcommands.AgentCommand;
import io.zsentinel.core.messages.agentcommands.DemoteDataset;
import io.zsentinel.core.messages.agentcommands.RejoinDataset;
import io.zsentinel.core.messages.agentcommands.SnapshotCommand;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.messages.facts.CommandCompleted;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.messages.facts.TransferProgressed;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.ZfsBinaries;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.deploy.transfer.TransferExecutor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent of one storage server: reports heartbeats, pool health and snapshot inventories to
 * {@code zsentinel.agent-events}, and executes the controller's commands addressed to this server.
 * It decides nothing: rules live in the controller's aggregates.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    /** A command older than this is stale: the controller has long re-decided, so it is not executed. */
    static final Duration COMMAND_TTL = Duration.ofMinutes(5);

    private final AgentConfig config;
    private final ServerId server;
    private final Topics topics;
    private final MessagePublisher publisher;
    private final String bootstrap;
    private final Clock clock;
    private final EnvelopeCodec codec = new EnvelopeCodec(CoreMessages.types());
    private final InventoryScanner scanner;
    private final PoolHealthProbe poolProbe;
    private final CommandExecutor executor;
    private final TransferExecutor transfers;
    private final ScheduledExecutorService scheduler;
    /** Heartbeats and the lease each on a thread of their own: never behind a slow zfs listing or a blocked send. */
    private final ScheduledExecutorService heartbeats;
    private final ScheduledExecutorService leaseWatch;
    private final PrimaryLease lease;
    /** The lease's last renewal, kept across restarts (with a state directory). */
    private final LeaseRecord leaseRecord;
    private final SelfDemotion selfDemotion;
    private final StoodDownReports stoodDown;
    /** Peers probed on a thread of their own: a peer cut off costs a connect timeout, never a heartbeat. */
    private final ScheduledExecutorService peerWatch;
    private final PeerProbes peerProbes;
    private ProbeListener probeListener;
    /** Last inventory the broker acknowledged, per dataset: only changes are sent again. */
    private final Map<DatasetName, InventoryScanner.DatasetInventory> published = new HashMap<>();
    private final Map<PoolName, String> poolErrors = new HashMap<>();
    /**
     * Datasets whose snapshots a command is changing, until its fact is out: a scan listing the change in between
     * must not report it first, or the controller records the snapshot as found (or gone) "outside zsentinel"
     * rather than taken (destroyed) on that command.
     */
    private final Set<DatasetName> changing = ConcurrentHashMap.newKeySet();
    private TopicConsumerLoop commandLoop;

    public Agent(AgentConfig config, ZfsDriver zfs, MessagePublisher publisher, Clock clock) {
        this.config = config;
        this.server = config.server();
        this.topics = new Topics(config.kafka().prefix());
        this.publisher = publisher;
        this.bootstrap = config.kafka().bootstrap();
        this.clock = clock;
        this.scanner = new InventoryScanner(zfs, clock);
        this.poolProbe = new PoolHealthProbe(server, zfs, clock);
        this.transfers = new TransferExecutor(server, zfs, new ZfsBinaries(config.zfsCommand(), config.zpoolCommand()),
                config.transferTargets(), config.transfers(), this::publishTransferFact, clock);
        this.executor = new CommandExecutor(server, zfs, config.restoreDirectoryPath(), transfers).ownPools(config.pools())
                .rememberEpochIn(seenEpoch(config));
        this.scheduler = thread("agent-" + server);
        this.heartbeats = thread("agent-heartbeat-" + server);
        this.leaseWatch = thread("agent-lease-" + server);
        this.leaseRecord = config.stateDirectory() == null ? LeaseRecord.none()
                : LeaseRecord.in(java.nio.file.Path.of(config.stateDirectory()), config.kafka().cell(), server);
        this.lease = new PrimaryLease(Duration.ofSeconds(config.leaseSeconds()), leaseStart(leaseRecord, clock.instant()));
        this.selfDemotion = new SelfDemotion(server, zfs, () -> poolProbe.importedPoolsNow(config.pools()), lease,
                config.hooks().demote(), new HookRunner(clock), executor.roles(), clock);
        this.stoodDown = new StoodDownReports(server, zfs, () -> poolProbe.importedPoolsNow(config.pools()), lease,
                selfDemotion::demotions, this::publish, clock);
        this.peerWatch = thread("agent-peers-" + server);
        this.peerProbes = new PeerProbes(server, config.peerAddresses(), PROBE_TIMEOUT, clock);
    }

    /**
     * Where the lease counts from at start: the last renewal an earlier run recorded (so a lease that ran out while the
     * agent was down has expired at once), else this start.
     */
    static Instant leaseStart(LeaseRecord record, Instant now) {
        return record.lastRenewal().filter(renewed -> renewed.isBefore(now)).orElse(now);
    }

    private static SeenEpoch seenEpoch(AgentConfig config) {
        if (config.stateDirectory() == null) {
            log.warn("agent {}: no stateDirectory in its configuration, so the highest controller epoch seen is"
                    + " forgotten when it stops (a deposed controller's commands could act after a restart)",
                    config.server());
            return SeenEpoch.inMemory();
        }
        return SeenEpoch.persistedIn(java.nio.file.Path.of(config.stateDirectory()), config.kafka().cell(), config.server());
    }

    /** How long a peer gets to accept a probe's connection: on a LAN it takes a millisecond. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private static ScheduledExecutorService thread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    public ServerId server() {
        return server;
    }

    /** The port this agent listens on for its peers' probes, if it listens (probePort 0 picks a free one). */
    public Optional<Integer> probePort() {
        return Optional.ofNullable(probeListener).map(ProbeListener::port);
    }

    /** Told each time one of this agent's transfers has started its {@code zfs send}. */
    public Agent onStreamStarted(java.util.function.Consumer<io.zsentinel.deploy.transfer.StreamStarted> listener) {
        transfers.onStreamStarted(listener);
        return this;
    }

    public Agent start() {
        if (config.probePort() != null) {
            probeListener = ProbeListener.open(config.probePort(), "agent-probe-port-" + server);
        }
        // Before anything else: a lease that ran out while this agent was down stands its primaries down now (the
        // controller may have promoted another server meanwhile; it resumes them if not).
        guarded("lease check at start", selfDemotion::check).run();
        guarded("pools at start", selfDemotion::lookAtPools).run();
        guarded("removal of leftover restore clones", () -> executor.removeLeftoverRestoreClones(
                poolProbe.importedPoolsNow(config.pools()))).run();
        Properties consumer = KafkaSettings.soleConsumer(bootstrap, topics.groupId("agent-" + server));
        // A new agent must not execute commands issued before it first subscribed (e.g. re-take a
        // snapshot an operator destroyed since); once it has committed offsets it resumes from them.
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        commandLoop = TopicConsumerLoop.builder("agent-commands-" + server)
                .consumerProperties(consumer)
                .topics(topics.agentCommands())
                .handler(this::onCommand)
                .deadLetter(publisher, topics.deadLetter())
                .start();
        heartbeats.scheduleWithFixedDelay(guarded("heartbeat", this::heartbeat), 0, config.heartbeatSeconds(), TimeUnit.SECONDS);
        leaseWatch.scheduleWithFixedDelay(guarded("lease check", () -> {
            selfDemotion.check();
            selfDemotion.lookAtPools();
        }), 1, 1, TimeUnit.SECONDS);
        if (!config.peerAddresses().isEmpty()) {
            peerWatch.scheduleWithFixedDelay(guarded("peer probes", peerProbes::probeAll), 0, config.heartbeatSeconds(),
                    TimeUnit.SECONDS);
        }
        scheduler.scheduleWithFixedDelay(guarded("scan", () -> scan(false)), 0, config.scanSeconds(), TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(guarded("report of stood-down datasets", stoodDown::tick), 1, 2,
                TimeUnit.SECONDS);
        log.info("agent {} started: watching pools {}, reporting to {}", server, config.pools(), topics.agentEvents());
        return this;
    }

    /**
     * A command issued more than {@link #COMMAND_TTL} ago is not executed, except a demotion: it only takes writes
     * away, and the generation it carries fences it (a dataset promoted since refuses it), so a former primary that
     * comes back after days still stops serving.
     */
    static boolean stale(AgentCommand command, Instant issuedAt, Instant now) {
        return !(command instanceof DemoteDataset) && issuedAt.plus(COMMAND_TTL).isBefore(now);
    }

    /**
     * A command waiting in the queue of an agent that was paused or cut off runs after the lease has been looked at:
     * a primary whose lease lapsed meanwhile is demoted first, so a queued order of its old generation meets a
     * replica, whichever of the lease thread and this one woke first. Without a lapse it reads nothing.
     */
    private void lookAtLeaseFirst() {
        try {
            selfDemotion.check();
        } catch (RuntimeException e) {
            log.error("{}: the lease check before a command failed: {}; the lease thread tries again", server,
                    e.getMessage());
        }
    }

    private void onCommand(ConsumerRecord<String, String> record) {
        if (!server.value().equals(record.key())) {
            return; // addressed to another server of the cell
        }
        Envelope<Message> envelope = codec.decode(record.value());
        if (!(envelope.payload() instanceof AgentCommand command)) {
            throw new MalformedMessageException(envelope.type() + " is not an agent command");
        }
        if (stale(command, envelope.occurredAt(), clock.instant())) {
            log.warn("skipped stale {} {} issued at {}", envelope.type(), command.commandId(), envelope.occurredAt());
            return;
        }
        lookAtLeaseFirst();
        DatasetName dataset = command instanceof SnapshotCommand s ? s.snapshot().dataset() : null;
        if (dataset != null) {
            changing.add(dataset);
        }
        Optional<AgentFact> fact;
        try {
            fact = executor.execute(command);
            if (command instanceof RejoinDataset && fact.orElse(null) instanceof CommandCompleted) {
                reportBefore(command);
            }
            fact.ifPresent(this::publish);
        } finally {
            if (dataset != null) {
                changing.remove(dataset);
            }
        }
        if (fact.isPresent()) {
            // Report now, not at the next tick, and the pool usage even if unchanged: the controller waits for
            // a usage report taken after its prune before it prunes again.
            scheduler.execute(guarded("scan", () -> scan(true)));
        }
    }

    /**
     * Scans (on the scanning thread) and reports what changed before {@code command}'s answer goes out: the controller
     * plans the new primary's link to a rejoined dataset on that answer, and a plan on the inventory from before the
     * rollback would find the divergent snapshots still there and stop the link as diverged.
     */
    private void reportBefore(AgentCommand command) {
        try {
            scheduler.submit(guarded("scan", () -> scan(false))).get(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("could not report the inventory before the answer to {}: {}", command.commandId(), e.toString());
        }
    }

    private void heartbeat() {
        leaseRecord.record(lease.renewedAt()); // the renewal the last heartbeat's ack brought, for a later start
        Instant sentAt = clock.instant();
        publisher.publish(topics.agentEvents(), server.value(), encode(new AgentHeartbeat(server, executor.epoch(), sentAt,
                        peerProbes.latest())))
                .whenComplete((acked, failed) -> {
                    if (failed == null) {
                        lease.renewed(sentAt);
                    }
                });
    }

    /** The datasets this agent made read-only because its lease expired (for tests and the log). */
    List<DatasetName> selfDemoted() {
        return selfDemotion.demoted();
    }

    private void scan(boolean forcePoolReport) {
        for (AgentFact report : poolProbe.report(config.pools(), forcePoolReport)) {
            publish(report);
        }
        for (PoolName pool : poolProbe.importedPools(config.pools())) {
            try {
                scanner.scanAll(pool, forcePoolReport).forEach(this::publishIfChanged);
                if (poolErrors.remove(pool) != null) {
                    log.info("inventory of pool {} on {} readable again", pool, server);
                }
            } catch (RuntimeException e) {
                // nothing of the pool is reported: an unread listing must never look like one without snapshots
                String error = String.valueOf(e.getMessage());
                if (!error.equals(poolErrors.put(pool, error))) {
                    log.warn("cannot read the inventory of pool {} on {}, nothing of it reported: {}", pool, server, error);
                }
            }
        }
    }

    /**
     * Reports a dataset when its snapshots or bookmarks changed, or its written bytes went from none to some
     * (or back): only that matters to replication, and a busy dataset's growing count must not cost a report
     * per scan.
     */
    private void publishIfChanged(DatasetName dataset, InventoryScanner.DatasetInventory inventory) {
        if (changing.contains(dataset)) {
            return; // reported by the next scan, after the command's own fact (checked after the listing)
        }
        InventoryScanner.DatasetInventory seen = inventory.withWrittenAsFlag();
        if (seen.equals(published.get(dataset))) {
            return;
        }
        publish(new SnapshotInventoryReported(server, dataset, inventory.snapshots(), clock.instant(),
                inventory.bookmarks(), inventory.writtenBytes()));
        published.put(dataset, seen);
    }

    private void publish(AgentFact fact) {
        publisher.publishAndWait(topics.agentEvents(), server.value(), encode(fact));
    }

    /** Progress is fire-and-forget (the next one supersedes it); outcomes wait for the broker's ack. */
    private void publishTransferFact(AgentFact fact) {
        if (fact instanceof TransferProgressed) {
            publisher.publish(topics.agentEvents(), server.value(), encode(fact));
        } else {
            publish(fact);
        }
    }

    private String encode(AgentFact fact) {
        return codec.encode(codec.wrap(fact, server.value(), clock.instant()));
    }

    private Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("agent {}: {} failed, will retry: {}", server, what, e.getMessage());
            }
        };
    }

    @Override
    public void close() {
        peerWatch.shutdownNow();
        if (probeListener != null) {
            probeListener.close();
        }
        leaseWatch.shutdownNow();
        heartbeats.shutdownNow();
        scheduler.shutdownNow();
        if (commandLoop != null) {
            commandLoop.close();
        }
        transfers.close(); // running transfers are killed and report TransferFailed (retriable)
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("agent {} stopped", server);
    }
}
