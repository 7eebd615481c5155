package io.zsentinel.deploy.controller;

import io.zsentinel.core.kafka.ConsumerLoopStatus;
import io.zsentinel.core.kafka.KafkaSettings;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.TopicConsumerLoop;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.agentcommands.DestroySnapshot;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.messages.facts.PoolHealthReported;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.failover.BrokerConnection;
import io.zsentinel.deploy.failover.FailureDetection;
import io.zsentinel.deploy.replication.BaseProtection;
import io.zsentinel.deploy.replication.ReportedInventory;
import io.zsentinel.deploy.replication.FailoverLinks;
import io.zsentinel.deploy.replication.LinkScheduler;
import io.zsentinel.deploy.replication.ReplicationTrigger;
import io.zsentinel.deploy.failover.ServiceTicker;
import io.zsentinel.deploy.failover.SwitchoverWatch;
import io.zsentinel.deploy.replication.ServiceSwitches;
import io.zsentinel.deploy.failover.Rejoins;
import io.zsentinel.deploy.retention.CapacityWatcher;
import io.zsentinel.deploy.retention.RetentionPolicies;
import io.zsentinel.deploy.retention.PoolUsage;
import io.zsentinel.deploy.retention.RetentionScheduler;
import io.zsentinel.deploy.store.Aggregates;
import io.zsentinel.deploy.store.AxonStore;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.failover.process.ServiceAggregate;
import io.zsentinel.failover.rejoin.RejoinAggregate;
import io.zsentinel.failover.detect.ProbeResult;
import io.zsentinel.failover.server.StorageServerAggregate;
import io.zsentinel.projections.audit.AuditView;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.projections.service.ServiceRow;
import io.zsentinel.projections.service.RescuesView;
import io.zsentinel.projections.service.ServicesView;
import io.zsentinel.deploy.failover.FailoverProcesses;
import io.zsentinel.deploy.failover.PrimaryClaims;
import io.zsentinel.deploy.failover.FailoverReactor;
import io.zsentinel.deploy.failover.Situations;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.web.HealthCheck;
import io.zsentinel.replication.dataset.DatasetAggregate;
import io.zsentinel.replication.link.ReplicationLinkAggregate;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The controller: agent facts from Kafka → Axon aggregates → JDBC event store → domain events on
 * Kafka and in-memory projections. Only one controller of a cell may run (Axon locks aggregates per
 * JVM): {@link ControllerApp} starts one only while it holds the cell's lease ({@link io.zsentinel.deploy.lease.LeaseKeeper}),
 * whose epoch rides on every agent command.
 */
public final class Controller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Controller.class);

    /** How long the store and the broker get to answer a reachability probe. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Topics topics;
    private final String bootstrap;
    private final DataSource dataSource;
    private final MessagePublisher publisher;
    /** The domain-event publisher's own producer: whole batches in flight (the others send one at a time). */
    private final MessagePublisher domainEvents;
    private final Admin admin;
    private final SnapshotInventoryView inventory = new SnapshotInventoryView();
    private final AuditView audit = new AuditView();
    private final ServicesView services = new ServicesView();
    private final RescuesView rescues = new RescuesView();
    private final Rejoins rejoins;
    private final ReplicationLinkView links;
    private final FleetView fleet;
    private final Configuration axon;
    private final TopicConsumerLoop agentEvents;
    private final TopicConsumerLoop liveness;
    private final ViewProgress views;
    private final RetentionScheduler retention;
    private final ServiceTicker failovers;
    private final SwitchoverWatch switchoverWatch;
    private final LinkScheduler replication;
    private final ReportedInventory reported;
    private final ControllerMetrics metrics;
    private final FailoverProcesses failover;
    /** Marks first primaries' datasets as primary at generation 1 ({@link PrimaryClaims}). */
    private final Ticker claims;
    private static final Duration PRIMARY_CLAIMS_EVERY = Duration.ofSeconds(10);
    private final FailureDetection detection;
    /** This controller's epoch: asked before every agent command and every agent fact, refused once the lease may be gone. */
    private final LongSupplier epoch;
    /**
     * Lanes of the consumer of agent facts: servers' facts handled side by side, each server's in order. Each lane
     * holds a store connection while its command runs (the pool has {@link io.zsentinel.deploy.store.DataSources#DEFAULT_POOL_SIZE}).
     */
    static final int INGEST_LANES = 4;
    /**
     * Facts of one lane applied in one unit of work and one transaction: their events appended in one batch and
     * committed once, instead of a round trip for the append and one for the commit per fact.
     */
    static final int FACTS_PER_TRANSACTION = 100;

    /**
     * How agent facts are read: {@code lanes} of the ordered path (servers side by side, each in order), commands
     * that would change nothing skipped ({@link AppliedFacts}), heartbeats and pool reports on a consumer of their
     * own, and up to {@code factsPerTransaction} facts of a lane applied in one unit of work and one transaction
     * ({@link LaneTransaction}). {@link #BEFORE_ISSUE_10}: one lane, every command sent, one consumer for all, one
     * transaction per command (for benchmarks).
     */
    public record Ingest(int lanes, boolean skipNoOps, boolean livenessPath, int factsPerTransaction) {
        public Ingest {
            if (lanes < 1 || lanes > 64) {
                throw new IllegalArgumentException("the consumer of agent facts needs 1 to 64 lanes, not " + lanes);
            }
            if (factsPerTransaction < 1 || factsPerTransaction > 10_000) {
                throw new IllegalArgumentException("a transaction of agent facts holds 1 to 10,000 facts, not "
                        + factsPerTransaction);
            }
        }

        /** One transaction per command, as before batches. */
        public Ingest(int lanes, boolean skipNoOps, boolean livenessPath) {
            this(lanes, skipNoOps, livenessPath, 1);
        }

        public static final Ingest DEFAULT = new Ingest(INGEST_LANES, true, true, FACTS_PER_TRANSACTION);
        /** Today's design but one transaction per command (the design before batches, for benchmarks). */
        public static final Ingest TRANSACTION_PER_COMMAND = new Ingest(INGEST_LANES, true, true, 1);
        public static final Ingest BEFORE_ISSUE_10 = new Ingest(1, false, false);
    }
    /** The controller epoch of a controller started without a lease (tests, benchmarks). */
    static final long EPOCH = 1;

    private Controller(ControllerConfig config, DataSource dataSource, Clock clock, MeterRegistry meters, Ingest ingest,
                       LongSupplier epoch) {
        this.epoch = epoch;
        this.metrics = new ControllerMetrics(meters);
        this.bootstrap = config.kafka().bootstrap();
        this.dataSource = dataSource;
        this.topics = new Topics(config.kafka().prefix());
        this.admin = Admin.create(KafkaSettings.admin(bootstrap));
        topics.createAll(admin);
        this.publisher = MessagePublisher.create(bootstrap);
        metrics.admin(admin);
        publisher.observeClient(metrics::producer);
        this.domainEvents = new MessagePublisher(KafkaSettings.batchingProducer(bootstrap));
        domainEvents.observeClient(metrics::producer);
        FailureDetector detector = new FailureDetector(
                new DetectorSettings(Duration.ofSeconds(config.heartbeatTimeoutSeconds())));
        this.fleet = new FleetView(clock, detector);
        this.links = new ReplicationLinkView(clock, inventory);

        DomainEventPublisher domainPublisher = DomainEventPublisher.batched(DomainTypes.all(),
                DomainEventPublisher.AsyncSink.of((key, json) -> domainEvents.publish(topics.domainEvents(), key, json),
                        domainEvents::flush));
        ReplicationTrigger trigger = new ReplicationTrigger();
        ServiceSwitches switches = new ServiceSwitches();
        FailoverLinks relinks = FailoverLinks.of(config.replication(), switches);
        this.rejoins = new Rejoins(services::services, switches, relinks, detector, inventory::snapshots);
        AgentCommandDispatcher dispatcher = new AgentCommandDispatcher(
                (key, json) -> publisher.publishAndWait(topics.agentCommands(), key, json), epoch,
                link -> config.replication().ruleFor(link).map(LinkRule::bandwidthBytesPerSecond).orElse(0L),
                link -> Math.max(relinks.generationOf(link.source()),
                        SwitchoverWatch.sendingGeneration(services.switchovers(), link.source())));
        this.failover = new FailoverProcesses(config.serviceCatalogue(),
                new Situations(detector, inventory::datasetIds, inventory::snapshots, links::linkIds),
                config.failover().leaseAndMargin(), config.failover().window(), this::commandGateway,
                this::eventStore, clock, epoch);
        AxonStore store = AxonStore.create(dataSource);
        this.axon = metrics.axon(store.configure(AxonStore.newConfigurer()))
                .configureAggregate(Aggregates.cachedAndSnapshotted(DatasetAggregate.class,
                        Aggregates.DEFAULT_CACHE_SIZE, Aggregates.DEFAULT_SNAPSHOT_EVERY))
                .configureAggregate(Aggregates.cached(StorageServerAggregate.class, Aggregates.DEFAULT_CACHE_SIZE))
                .configureAggregate(Aggregates.cached(ServiceAggregate.class, Aggregates.DEFAULT_CACHE_SIZE))
                .configureAggregate(Aggregates.cached(RejoinAggregate.class, Aggregates.DEFAULT_CACHE_SIZE))
                .configureAggregate(Aggregates.cachedAndSnapshotted(ReplicationLinkAggregate.class,
                        Aggregates.DEFAULT_CACHE_SIZE, Aggregates.DEFAULT_SNAPSHOT_EVERY))
                .eventProcessing(ep -> ep
                        .registerTrackingEventProcessor(DomainEventPublisher.PROCESSOR, Configuration::eventStore,
                                c -> DomainEventPublisher.processorConfiguration())
                        .assignHandlerInstancesMatching(DomainEventPublisher.PROCESSOR, h -> h == domainPublisher)
                        .registerEventHandler(c -> domainPublisher)
                        .registerTrackingEventProcessor(AgentCommandDispatcher.PROCESSOR, Configuration::eventStore,
                                c -> AgentCommandDispatcher.processorConfiguration())
                        .assignHandlerInstancesMatching(AgentCommandDispatcher.PROCESSOR, h -> h == dispatcher)
                        .registerEventHandler(c -> dispatcher)
                        .registerTrackingEventProcessor(BaseProtection.PROCESSOR, Configuration::eventStore,
                                c -> BaseProtection.processorConfiguration())
                        .assignHandlerInstancesMatching(BaseProtection.PROCESSOR, h -> h instanceof BaseProtection)
                        .registerEventHandler(c -> new BaseProtection(c.commandGateway())))
                .eventProcessing(trigger::register)
                .eventProcessing(failover::register)
                .eventProcessing(ep -> ViewsProcessor.register(ep, inventory, fleet, audit, links, services, switches,
                        rescues))
                .buildConfiguration();
        // The views live in memory, so their token does too: every start rebuilds them from the store.
        axon.start();
        metrics.processors(axon);
        this.views = new ViewProgress(axon, ViewsProcessor.GROUPS);

        PoolUsage usage = new PoolUsage(clock);
        this.reported = new ReportedInventory();
        LiveFacts live = new LiveFacts() {
            @Override
            public void heartbeat(AgentHeartbeat heartbeat) {
                detector.heartbeat(heartbeat.server(), heartbeat.at());
                heartbeat.peers().forEach(p -> detector.probed(
                        new ProbeResult(heartbeat.server(), p.peer(), p.reachable(), p.at())));
            }

            @Override
            public void poolHealth(PoolHealthReported report) {
                detector.poolReported(report.server(), report.pool(), report.health(), report.at());
            }

            @Override
            public void poolReported(PoolHealthReported report) {
                usage.accept(report);
            }

            @Override
            public void snapshotDestroyed(ServerId server, Guid guid) {
                usage.destroyed(server, guid);
            }

            @Override
            public void commandRejected(CommandRejected rejected) {
                if (rejected.commandType().equals(DestroySnapshot.class.getSimpleName())
                        && rejected.dataset() != null) {
                    usage.destroyRefused(rejected.server(), rejected.dataset().pool());
                }
            }

            @Override
            public void inventoryReported(SnapshotInventoryReported report) {
                reported.reported(report);
            }
        };
        EnvelopeCodec codec = new EnvelopeCodec(CoreMessages.types());
        AppliedFacts applied = new AppliedFacts(ingest.skipNoOps());
        AgentEventHandler handler = new AgentEventHandler(codec, new FactRouter(live,
                ingest.livenessPath() ? FactRouter.Path.ORDERED : FactRouter.Path.ALL), axon.commandGateway(), applied);
        this.agentEvents = agentFacts("controller-agent-events", "controller", config, clock)
                .handler(record -> {
                    epoch.getAsLong(); // a controller that may have lost its lease applies no fact: it waits (outage)
                    handler.handle(record);
                })
                .lanes(ingest.lanes())
                .batches(new LaneTransaction(axon.getComponent(TransactionManager.class), store, handler),
                        ingest.factsPerTransaction())
                .start();
        // Heartbeats and pool conditions on a group of their own: never queued behind a burst of inventories.
        LivenessHandler livenessHandler = new LivenessHandler(codec, CoreMessages.types(), new AgentEventHandler(codec,
                new FactRouter(live, FactRouter.Path.LIVENESS), axon.commandGateway(), applied));
        this.liveness = !ingest.livenessPath() ? null : agentFacts("controller-liveness", "controller-liveness",
                config, clock)
                .handler(record -> {
                    epoch.getAsLong();
                    livenessHandler.handle(record);
                })
                .start();
        agentEvents.observeClient(metrics::consumer);
        if (liveness != null) {
            liveness.observeClient(metrics::consumer);
        }
        this.replication = new LinkScheduler(config.replication(), inventory, reported,
                links::linkIds, links::version, axon.commandGateway(),
                new OneTransaction(axon.getComponent(TransactionManager.class), store), switches, clock)
                .start(views::rebuilt);
        trigger.startWith(replication);
        // While the consumer that reads heartbeats cannot reach the broker, no server is judged.
        this.detection = new FailureDetection(detector, BrokerConnection.of(liveness != null ? liveness : agentEvents),
                axon.commandGateway(), clock).start();
        RetentionPolicies policies = new RetentionPolicies(config.retention(), config.replication(), relinks);
        this.retention = new RetentionScheduler(config.retention(), policies, inventory, axon.commandGateway(),
                new CapacityWatcher(policies, inventory, usage, axon.commandGateway()), clock).start();
        PrimaryClaims primaryClaims = new PrimaryClaims(config.serviceCatalogue(), services::services,
                inventory::datasetIds, promote -> dispatcher.order(promote, clock.instant()), epoch);
        this.claims = new Ticker("primary-claims");
        claims.every(PRIMARY_CLAIMS_EVERY, () -> {
            if (views.check().up()) { // the services view says which services never failed over
                primaryClaims.claim();
            }
        });
        this.failovers = new ServiceTicker(config.serviceCatalogue(), () -> services.services().stream()
                .filter(s -> s.failover() != null).map(ServiceRow::service).toList(), axon.commandGateway(), clock).start();
        this.switchoverWatch = new SwitchoverWatch(services::switchovers, inventory::snapshots, links::link, rejoins,
                axon.commandGateway()::sendAndWait, clock).start();
        log.info("controller started: consuming {} ({}), publishing {}", topics.agentEvents(), ingest,
                topics.domainEvents());
    }

    /** A consumer of agent facts on a group of its own: what both of the controller's consumers share. */
    private TopicConsumerLoop.Builder agentFacts(String name, String role, ControllerConfig config, Clock clock) {
        return TopicConsumerLoop.builder(name)
                .consumerProperties(KafkaSettings.soleConsumer(bootstrap, topics.groupId(role)))
                .topics(topics.agentEvents())
                .deadLetter(publisher, topics.deadLetter())
                .maxAttempts(config.kafka().maxAttempts())
                .outageProbe(this::outage)
                .clock(clock);
    }

    /** {@code meters}: where the Kafka clients' and Axon's metrics go (the registry {@code /metrics} scrapes). */
    public static Controller start(ControllerConfig config, DataSource dataSource, Clock clock, MeterRegistry meters) {
        return start(config, dataSource, clock, meters, Ingest.DEFAULT);
    }

    /** As {@link #start(ControllerConfig, DataSource, Clock, MeterRegistry)}, reading agent facts as {@code ingest} says. */
    public static Controller start(ControllerConfig config, DataSource dataSource, Clock clock, MeterRegistry meters,
                                   Ingest ingest) {
        return new Controller(config, dataSource, clock, meters, ingest, () -> EPOCH);
    }

    /**
     * As {@link #start(ControllerConfig, DataSource, Clock, MeterRegistry)}, every agent command stamped with
     * {@code epoch}, which is asked before each send and throws when this controller's lease may have lapsed.
     */
    public static Controller start(ControllerConfig config, DataSource dataSource, Clock clock, MeterRegistry meters,
                                   LongSupplier epoch) {
        return new Controller(config, dataSource, clock, meters, Ingest.DEFAULT, epoch);
    }

    public SnapshotInventoryView inventory() {
        return inventory;
    }

    public ReplicationLinkView links() {
        return links;
    }

    /** Each dataset's latest inventory report (fresher sizes than the inventory view's). */
    public ReportedInventory reported() {
        return reported;
    }

    public AuditView audit() {
        return audit;
    }

    /** What turns a declared failure or an operator's force into a service's BeginFailover. */
    public FailoverReactor failoverReactor() {
        return failover.reactor();
    }

    /** Services, who serves each now, and their failovers. */
    /** What a rejoin of a former primary finds, per service. */
    public Rejoins rejoins() {
        return rejoins;
    }

    /** The divergent state rejoins kept. */
    public RescuesView rescues() {
        return rescues;
    }

    public ServicesView services() {
        return services;
    }

    public FleetView fleet() {
        return fleet;
    }

    /** The event store (read by the history API, never written outside the aggregates). */
    public org.axonframework.eventsourcing.eventstore.EventStore eventStore() {
        return axon.eventStore();
    }

    public org.axonframework.commandhandling.gateway.CommandGateway commandGateway() {
        return axon.commandGateway();
    }

    /** The consumer loop of agent facts, for health and metrics. */
    public ConsumerLoopStatus agentEventsStatus() {
        return agentEvents.status();
    }

    /** The consumer loop of heartbeats and pool conditions (its own group on the agent-facts topic), if it has one. */
    public Optional<ConsumerLoopStatus> livenessStatus() {
        return Optional.ofNullable(liveness).map(TopicConsumerLoop::status);
    }

    /** Up when every view behind REST has applied every event in the store. */
    public HealthCheck.Result viewsCheck() {
        return views.check();
    }

    /** What is wrong with the event store (PostgreSQL), empty when it answers within {@code timeout}. */
    public Optional<String> storeProblem(Duration timeout) {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid((int) Math.max(1, timeout.toSeconds())) ? Optional.empty()
                    : Optional.of("connection not valid");
        } catch (Exception e) {
            return Optional.of("unreachable: " + e.getMessage());
        }
    }

    /**
     * Asked by the consumer loop after a failure: the store or the broker that is down, or this controller's lease that
     * may be gone (a fact then waits, as in an outage: it is neither applied nor dead-lettered, and this controller stops
     * its consumers when it turns passive), if any.
     */
    private Optional<String> outage() {
        Optional<String> store = storeProblem(PROBE_TIMEOUT);
        if (store.isPresent()) {
            return Optional.of("the event store (" + store.get() + ")");
        }
        if (!kafkaReachable(PROBE_TIMEOUT)) {
            return Optional.of("the broker (no answer from " + bootstrap + ")");
        }
        return leaseProblem().map(why -> "this controller's lease (" + why + ")");
    }

    /** Why this controller may not act now (its lease lapsed or is being renewed too late), empty while it holds it. */
    private Optional<String> leaseProblem() {
        try {
            epoch.getAsLong();
            return Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** True when the Kafka cluster answered within {@code timeout}. */
    public boolean kafkaReachable(Duration timeout) {
        try {
            admin.describeCluster().clusterId().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        claims.close();
        failovers.close();
        switchoverWatch.close();
        detection.close();
        retention.close();
        replication.close();
        metrics.close();
        agentEvents.close();
        if (liveness != null) {
            liveness.close();
        }
        axon.shutdown();
        domainEvents.close();
        publisher.close();
        admin.close();
        log.info("controller stopped");
    }
}
