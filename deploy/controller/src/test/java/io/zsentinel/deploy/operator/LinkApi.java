package io.zsentinel.deploy.operator;

import io.zsentinel.core.messages.Json;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.audit.AuditView;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.projections.web.ApiServer;
import io.zsentinel.projections.web.HealthEndpoint;
import io.zsentinel.projections.web.Routes;
import io.zsentinel.projections.web.ZsentinelApi;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkEvent;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.RecordTransferFailed;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.link.ReplicationLinkAggregate;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A real Axon configuration with the ReplicationLink aggregate and the link view on a subscribing
 * processor (its events are in the view when {@code sendAndWait} returns), behind the API on a free
 * port with the link routes as the controller adds them.
 */
public final class LinkApi implements AutoCloseable {
    /** What the controller's health would say is not ready (null: ready); sent as the stale header. */
    public volatile String notReady;

    public static final Instant T0 = OperatorApi.T0;
    public static final ServerId A = OperatorApi.A;
    public static final ServerId B = OperatorApi.B;
    public static final DatasetName VM1 = OperatorApi.VM1;
    public static final DatasetName BACKUP_VM1 = DatasetName.of("backup/vm1");
    public static final LinkId LINK = new LinkId(new DatasetId(A, VM1), new DatasetId(B, BACKUP_VM1));

    public final OperatorApi.SteppingClock clock = new OperatorApi.SteppingClock(T0.plusSeconds(3600));
    public final ReplicationLinkView links = new ReplicationLinkView(clock);
    public final FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
    public final FleetView fleet = new FleetView(clock, detector);
    public final Configuration axon;
    public final ApiServer api;

    public LinkApi() throws IOException {
        System.setProperty("axoniq.update-checker.disabled", "true");
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(Json.newMapper()).build();
        axon = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .configureAggregate(ReplicationLinkAggregate.class)
                .eventProcessing(ep -> ep
                        .registerSubscribingEventProcessor(ReplicationLinkView.PROCESSING_GROUP)
                        .registerEventHandler(c -> links))
                .start();
        SnapshotInventoryView inventory = new SnapshotInventoryView();
        Routes routes = ZsentinelApi.routes(inventory, fleet, new AuditView(),
                links, new HealthEndpoint());
        new LinkRoutes(axon.commandGateway(), clock).addTo(routes);
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), routes, 2, () -> java.util.Optional.ofNullable(notReady));
    }

    public CommandGateway commands() {
        return axon.commandGateway();
    }

    public String url() {
        return "http://127.0.0.1:" + api.port();
    }

    /** The link, established with the default policy, every 15 minutes. */
    public void establish() {
        commands().sendAndWait(new EstablishLink(LINK.source(), B, BACKUP_VM1, Duration.ofMinutes(15), T0));
    }

    /** The target holds a snapshot the source lacks: the link stops as diverged. */
    public void diverge() {
        commands().sendAndWait(new PlanReplication(LINK, List.of(snapshot(VM1, "s1", 1)),
                List.of(snapshot(BACKUP_VM1, "s1", 1), new SnapshotInfo(BACKUP_VM1.snapshot("local"), new Guid(99), 20,
                        T0.plusSeconds(20), 1000, 4000)), false, T0.plusSeconds(30)));
    }

    /** A full send is planned and the target refuses it (not retriable): the link fails and diverges. */
    public void refuseReceive(String reason) {
        commands().sendAndWait(new PlanReplication(LINK, List.of(snapshot(VM1, "s1", 1)), List.of(), false,
                T0.plusSeconds(30)));
        UUID transfer = events().stream().filter(ReplicationScheduled.class::isInstance).map(ReplicationScheduled.class::cast)
                .reduce((first, second) -> second).orElseThrow().transferId();
        commands().sendAndWait(new RecordTransferFailed(LINK, transfer, reason, null, T0.plusSeconds(40), false));
    }

    /** Every event the link's aggregate stored, in order. */
    public List<LinkEvent> events() {
        return axon.eventStore().readEvents(LINK.toString()).asStream().map(EventMessage::getPayload)
                .map(LinkEvent.class::cast).toList();
    }

    private static SnapshotInfo snapshot(DatasetName dataset, String shortName, long txg) {
        return new SnapshotInfo(dataset.snapshot(shortName), new Guid(1000 + txg), txg * 10, T0.plusSeconds(txg),
                1000, 4000);
    }

    @Override
    public void close() {
        api.close();
        axon.shutdown();
    }
}
