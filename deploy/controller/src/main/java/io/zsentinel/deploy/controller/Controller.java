package io.zsentinel.deploy.controller;

import io.zsentinel.core.kafka.ConsumerLoopStatus;
import io.zsentinel.core.kafka.KafkaSettings;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.TopicConsumerLoop;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.agentcommands.DestroySnapshot;
import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.messages.facts.PoolHealthReported;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.replication.BaseProtection;
import io.zsentinel.deploy.replication.ReportedInventory;
import io.zsentinel.deploy.replication.LinkScheduler;
import io.zsentinel.deploy.replication.ReplicationTrigger;
import io.zsentinel.deploy.retention.CapacityWatcher;
import io.zsentinel.deploy.retention.RetentionPolicies;
import io.zsentinel.deploy.retention.PoolUsage;
import io.zsentinel.deploy.retention.RetentionScheduler;
import io.zsentinel.deploy.store.AxonStore;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.failover.server.StorageServerAggregate;
import io.zsentinel.projections.audit.AuditView;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.web.HealthCheck;
import io.zsentinel.replication.dataset.DatasetAggregate;
import io.zsentinel.replication.link.ReplicationLinkAggregate;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The controller: agent facts from Kafka → Axon aggregates → JDBC event store → domain events on
 * Kafka and in-memory projections. Only one controller of a cell may run (Axon locks aggregates per
 * JVM); the lease that enforces it is future work.
 */
public final class Controller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Controller.class);

    /** How long the store and the broker get to answer a reachability probe. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Topics topics;
    private final String bootstrap;
    private final DataSource dataSource;
    private final MessagePublisher publisher;
    private final Admin admin;
    private final SnapshotInventoryView inventory = new SnapshotInventoryView();
    private final AuditView audit = new AuditView();
    private final ReplicationLinkView links;
    private final FleetView fleet;
    private final Configuration axon;
    private final TopicConsumerLoop agentEvents;
    private final ViewProgress views;
    private final RetentionScheduler retention;
    private final LinkScheduler replication;
    private final ReportedInventory reported;
    private final ControllerMetrics metrics;
    /** The controller epoch carried by every agent command; a lease that raises it is future work. */
    static final long EPOCH = 1;

    private Controller(ControllerConfig config, DataSource dataSource, Clock clock, MeterRegistry meters) {
        this.metrics = new ControllerMetrics(meters);
        this.bootstrap = config.kafka().bootstrap();
        this.dataSource = dataSource;
        this.topics = new Topics(config.kafka().prefix());
        this.admin = Admin.create(KafkaSettings.admin(bootstrap));
        topics.createAll(admin);
        this.publisher = MessagePublisher.create(bootstrap);
        metrics.admin(admin);
        publisher.observeClient(metrics::producer);
        FailureDetector detector = new FailureDetector(
                new DetectorSettings(Duration.ofSeconds(config.heartbeatTimeoutSeconds())));
        this.fleet = new FleetView(clock, detector);
        this.links = new ReplicationLinkView(clock, inventory);

        DomainEventPublisher domainPublisher = new DomainEventPublisher(DomainTypes.all(),
                (key, json) -> publisher.publishAndWait(topics.domainEvents(), key, json));
        ReplicationTrigger trigger = new ReplicationTrigger();
        AgentCommandDispatcher dispatcher = new AgentCommandDispatcher(
                (key, json) -> publisher.publishAndWait(topics.agentCommands(), key, json), EPOCH,
                link -> config.replication().ruleFor(link).map(LinkRule::bandwidthBytesPerSecond).orElse(0L));
        AxonStore store = AxonStore.create(dataSource);
        this.axon = metrics.axon(store.configure(AxonStore.newConfigurer()))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(DatasetAggregate.class)
                        .configureCache(c -> new WeakReferenceCache()))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(StorageServerAggregate.class)
                        .configureCache(c -> new WeakReferenceCache()))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(ReplicationLinkAggregate.class)
                        .configureCache(c -> new WeakReferenceCache()))
                .eventProcessing(ep -> ep
                        .registerTrackingEventProcessor(DomainEventPublisher.PROCESSOR, Configuration::eventStore,
                                c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing())
                        .assignHandlerInstancesMatching(DomainEventPublisher.PROCESSOR, h -> h == domainPublisher)
                        .registerEventHandler(c -> domainPublisher)
                        .registerTrackingEventProcessor(AgentCommandDispatcher.PROCESSOR, Configuration::eventStore,
                                c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing())
                        .assignHandlerInstancesMatching(AgentCommandDispatcher.PROCESSOR, h -> h == dispatcher)
                        .registerEventHandler(c -> dispatcher)
                        .registerTrackingEventProcessor(BaseProtection.PROCESSOR, Configuration::eventStore,
                                c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing())
                        .assignHandlerInstancesMatching(BaseProtection.PROCESSOR, h -> h instanceof BaseProtection)
                        .registerEventHandler(c -> new BaseProtection(c.commandGateway()))
                        // Only snapshots recorded from now on: history is the ticker's business.
                        .registerTrackingEventProcessor(ReplicationTrigger.PROCESSOR, Configuration::eventStore,
                                c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                        .andInitialTrackingToken(source -> source.createHeadToken()))
                        .assignHandlerInstancesMatching(ReplicationTrigger.PROCESSOR, h -> h == trigger)
                        .registerEventHandler(c -> trigger)
                        .registerPooledStreamingEventProcessor(SnapshotInventoryView.PROCESSING_GROUP, Configuration::eventStore,
                                (c, b) -> b.initialSegmentCount(1))
                        .registerTokenStore(SnapshotInventoryView.PROCESSING_GROUP, c -> new InMemoryTokenStore())
                        .registerEventHandler(c -> inventory)
                        .registerPooledStreamingEventProcessor(FleetView.PROCESSING_GROUP, Configuration::eventStore,
                                (c, b) -> b.initialSegmentCount(1))
                        .registerTokenStore(FleetView.PROCESSING_GROUP, c -> new InMemoryTokenStore())
                        .registerEventHandler(c -> fleet)
                        .registerPooledStreamingEventProcessor(AuditView.PROCESSING_GROUP, Configuration::eventStore,
                                (c, b) -> b.initialSegmentCount(1))
                        .registerTokenStore(AuditView.PROCESSING_GROUP, c -> new InMemoryTokenStore())
                        .registerEventHandler(c -> audit)
                        .registerPooledStreamingEventProcessor(ReplicationLinkView.PROCESSING_GROUP, Configuration::eventStore,
                                (c, b) -> b.initialSegmentCount(1))
                        .registerTokenStore(ReplicationLinkView.PROCESSING_GROUP, c -> new InMemoryTokenStore())
                        .registerEventHandler(c -> links))
                .buildConfiguration();
        // The views live in memory, so their tokens do too: every start rebuilds them from the store.
        axon.start();
        metrics.processors(axon);
        this.views = new ViewProgress(axon, List.of(SnapshotInventoryView.PROCESSING_GROUP, FleetView.PROCESSING_GROUP,
                AuditView.PROCESSING_GROUP, ReplicationLinkView.PROCESSING_GROUP));

        PoolUsage usage = new PoolUsage(clock);
        this.reported = new ReportedInventory();
        AgentEventHandler handler = new AgentEventHandler(new EnvelopeCodec(CoreMessages.types()),
                new FactRouter(new LiveFacts() {
                    @Override
                    public void heartbeat(ServerId server, Instant at) {
                        detector.heartbeat(server, at);
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
                }), axon.commandGateway());
        this.agentEvents = TopicConsumerLoop.builder("controller-agent-events")
                .consumerProperties(KafkaSettings.soleConsumer(bootstrap, topics.groupId("controller")))
                .topics(topics.agentEvents())
                .handler(handler::handle)
                .deadLetter(publisher, topics.deadLetter())
                .maxAttempts(config.kafka().maxAttempts())
                .outageProbe(this::outage)
                .clock(clock)
                .start();
        agentEvents.observeClient(metrics::consumer);
        this.replication = new LinkScheduler(config.replication(), inventory, reported,
                links::linkIds, links::version, axon.commandGateway(), clock).start();
        trigger.startWith(replication);
        RetentionPolicies policies = new RetentionPolicies(config.retention(), config.replication());
        this.retention = new RetentionScheduler(config.retention(), policies, inventory, axon.commandGateway(),
                new CapacityWatcher(policies, inventory, usage, axon.commandGateway()), clock).start();
        log.info("controller started: consuming {}, publishing {}", topics.agentEvents(), topics.domainEvents());
    }

    /** {@code meters}: where the Kafka clients' and Axon's metrics go (the registry {@code /metrics} scrapes). */
    public static Controller start(ControllerConfig config, DataSource dataSource, Clock clock, MeterRegistry meters) {
        return new Controller(config, dataSource, clock, meters);
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

    public FleetView fleet() {
        return fleet;
    }

    public org.axonframework.commandhandling.gateway.CommandGateway commandGateway() {
        return axon.commandGateway();
    }

    /** The consumer loop of agent facts, for health and metrics. */
    public ConsumerLoopStatus agentEventsStatus() {
        return agentEvents.status();
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

    /** Asked by the consumer loop after a failure: the store or the broker that is down, if any. */
    private Optional<String> outage() {
        Optional<String> store = storeProblem(PROBE_TIMEOUT);
        if (store.isPresent()) {
            return Optional.of("the event store (" + store.get() + ")");
        }
        return kafkaReachable(PROBE_TIMEOUT) ? Optional.empty()
                : Optional.of("the broker (no answer from " + bootstrap + ")");
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
        retention.close();
        replication.close();
        metrics.close();
        agentEvents.close();
        axon.shutdown();
        publisher.close();
        admin.close();
        log.info("controller stopped");
    }
}
