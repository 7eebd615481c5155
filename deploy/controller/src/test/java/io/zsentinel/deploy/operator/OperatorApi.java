package io.zsentinel.deploy.operator;

import io.zsentinel.core.messages.Json;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.failover.server.StorageServerAggregate;
import io.zsentinel.projections.audit.AuditView;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.web.ApiServer;
import io.zsentinel.projections.web.HealthEndpoint;
import io.zsentinel.projections.web.Routes;
import io.zsentinel.projections.web.ZsentinelApi;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.ReconcileInventory;
import io.zsentinel.replication.dataset.DatasetAggregate;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * A real Axon configuration (in-memory store, the Dataset and StorageServer aggregates, the views on subscribing
 * processors so that a command's events are in the views when {@code sendAndWait} returns) behind
 * the API on a free port, with the operator routes as the controller adds them.
 */
public final class OperatorApi implements AutoCloseable {
    public static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    public static final ServerId A = ServerId.of("store-a");
    public static final ServerId B = ServerId.of("store-b");
    public static final DatasetName VM1 = DatasetName.of("primary/vm1");
    public static final DatasetName VM2 = DatasetName.of("primary/vm2");

    public final SnapshotInventoryView inventory = new SnapshotInventoryView();
    public final AuditView audit = new AuditView();
    public final SteppingClock clock = new SteppingClock(T0.plusSeconds(3600));
    public final Configuration axon;
    public final ApiServer api;

    public OperatorApi() throws IOException {
        System.setProperty("axoniq.update-checker.disabled", "true");
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(Json.newMapper()).build();
        axon = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .configureAggregate(DatasetAggregate.class)
                .configureAggregate(StorageServerAggregate.class)
                .eventProcessing(ep -> ep
                        .registerSubscribingEventProcessor(SnapshotInventoryView.PROCESSING_GROUP)
                        .registerSubscribingEventProcessor(AuditView.PROCESSING_GROUP)
                        .registerEventHandler(c -> inventory)
                        .registerEventHandler(c -> audit))
                .start();
        Routes routes = ZsentinelApi.routes(inventory, new FleetView(clock, new FailureDetector(DetectorSettings.DEFAULTS)), audit,
                new HealthEndpoint());
        OperatorRoutes operator = new OperatorRoutes(axon.commandGateway(), clock, inventory);
        operator.addTo(routes);
        new MaintenanceRoutes(axon.commandGateway(), clock, operator).addTo(routes);
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), routes, 2);
    }

    public CommandGateway commands() {
        return axon.commandGateway();
    }

    public String url() {
        return "http://127.0.0.1:" + api.port();
    }

    /** Server A heard (registered) with VM1 (3 snapshots) and VM2 (1): what the maintenance tests start from. */
    public OperatorApi withServerA() {
        commands().sendAndWait(new io.zsentinel.failover.api.RecordHeartbeat(A, 1, T0));
        seed(A, VM1, 3);
        seed(A, VM2, 1);
        return this;
    }

    /** Snapshots {@code s1 … sN} (createtxg 10, 20, …) on {@code server:dataset}, as an agent's inventory reports them. */
    public void seed(ServerId server, DatasetName dataset, int snapshots) {
        DatasetId id = new DatasetId(server, dataset);
        List<SnapshotInfo> infos = IntStream.rangeClosed(1, snapshots)
                .mapToObj(i -> new SnapshotInfo(dataset.snapshot("s" + i),
                        new Guid((long) (server.value() + dataset + i).hashCode() & 0xFFFFFFFFL), i * 10L,
                        T0.plusSeconds(i), 1000, 4000))
                .toList();
        commands().sendAndWait(new ReconcileInventory(id, infos, T0.plusSeconds(60), UUID.randomUUID()));
    }

    @Override
    public void close() {
        api.close();
        axon.shutdown();
    }

    /** A second further at every reading: each command gets its own instant, deterministically. */
    public static final class SteppingClock extends Clock {
        private final AtomicReference<Instant> now;

        SteppingClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        @Override
        public Instant instant() {
            return now.getAndUpdate(t -> t.plusSeconds(1));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
