package io.zsentinel.deploy.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.ManualClock;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.deploy.failover.Rejoins;
import io.zsentinel.deploy.replication.FailoverLinks;
import io.zsentinel.deploy.replication.ServiceSwitches;
import io.zsentinel.failover.api.DatasetRejoinOrdered;
import io.zsentinel.failover.api.DivergenceKept;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.RecordRejoinOutcome;
import io.zsentinel.failover.api.RejoinEvent;
import io.zsentinel.failover.api.RejoinStarted;
import io.zsentinel.failover.api.RescueReleaseOrdered;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.failover.rejoin.RejoinAggregate;
import io.zsentinel.projections.service.RescuesView;
import io.zsentinel.projections.service.ServiceRow;
import io.zsentinel.projections.web.ApiServer;
import io.zsentinel.projections.web.Routes;
import io.zsentinel.replication.api.DatasetId;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/servers/{server}/rejoin}, {@code GET /api/rescues}, {@code POST /api/rescues/release} against a
 * real Axon configuration with the Rejoin aggregate: a dry run orders nothing, a refusal is a 409 with its reasons, an
 * order starts the rejoin; a release needs a reason and a kept rescue, and is ordered.
 */
class RejoinRoutesTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final ServiceName VM = ServiceName.of("vm");
    static final ServerId PRIMARY = ServerId.of("primary");
    static final ServerId STANDBY = ServerId.of("standby");
    static final DatasetId P_VM1 = new DatasetId(PRIMARY, DatasetName.of("primary/vm1"));
    static final DatasetId S_VM1 = new DatasetId(STANDBY, DatasetName.of("standby/vm1"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final ManualClock clock = new ManualClock(T0);
    final RescuesView rescues = new RescuesView();
    final ServiceSwitches switches = new ServiceSwitches();
    final FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
    Configuration axon;
    ApiServer api;

    @BeforeEach
    void start() throws Exception {
        System.setProperty("axoniq.update-checker.disabled", "true");
        axon = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> JacksonSerializer.builder().objectMapper(Json.newMapper()).build())
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .configureAggregate(RejoinAggregate.class)
                .eventProcessing(ep -> ep.registerSubscribingEventProcessor("services")
                        .registerEventHandler(c -> rescues))
                .start();
        switches.on(new ServiceSwitched(VM, new FailoverId(new UUID(0, 2)), PRIMARY, STANDBY, 2,
                List.of(P_VM1.dataset()), T0));
        Map<DatasetId, List<SnapshotInfo>> inventory = Map.of(
                P_VM1, List.of(snap(P_VM1, "s1", 1), snap(P_VM1, "s2", 2)),
                S_VM1, List.of(snap(S_VM1, "s1", 1)));
        FailoverLinks links = FailoverLinks.of(new ReplicationConfig(null, List.of(new LinkRule("primary/vm*",
                "primary", "standby", "standby", "10s", null))), switches);
        ServiceRow row = new ServiceRow(VM, STANDBY, List.of(), 2, ServiceRow.BLOCKED, "failover", null, null, null, null);
        Rejoins rejoins = new Rejoins(() -> List.of(row), switches, links, detector,
                id -> inventory.getOrDefault(id, List.of()));
        Routes routes = new Routes();
        new RejoinRoutes(axon.commandGateway(), rejoins, rescues, id -> inventory.getOrDefault(id, List.of()), clock)
                .addTo(routes);
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), routes, 2);
    }

    @AfterEach
    void stop() {
        api.close();
        axon.shutdown();
    }

    static SnapshotInfo snap(DatasetId on, String name, long guid) {
        return new SnapshotInfo(on.dataset().snapshot(name), new Guid(guid), guid, T0.minusSeconds(600 - guid), 1, 1);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    List<Object> stored() {
        return axon.eventStore().readEvents(RejoinEvent.rejoinId(VM, PRIMARY)).asStream()
                .map(EventMessage::getPayload).map(Object.class::cast).toList();
    }

    @Test
    void aDryRunShowsTheCommonSnapshotAndWhatLiesAfterAndOrdersNothing() throws Exception {
        detector.heartbeat(PRIMARY, T0);
        HttpResponse<String> dry = post("/api/servers/primary/rejoin", "{\"operator\":\"alice\",\"dryRun\":true}");
        assertEquals(200, dry.statusCode(), dry.body());
        JsonNode dataset = JSON.readTree(dry.body()).path("services").get(0).path("datasets").get(0);
        assertEquals("s1", dataset.path("common").asText(), dry.body());
        assertEquals("s2", dataset.path("snapshotsAfter").get(0).asText(), dry.body());
        assertTrue(dataset.path("keptAs").asText().startsWith("primary/zsentinel-rescue/vm1-"), dry.body());
        assertEquals(List.of(), stored(), "a dry run orders nothing");
    }

    @Test
    void anUnreachableServerIsRefusedWithTheReasonAndAHealthyOneIsRejoined() throws Exception {
        HttpResponse<String> refused = post("/api/servers/primary/rejoin", "{\"operator\":\"alice\"}");
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("primary is unknown: its agent does the rejoin"), refused.body());
        assertEquals(List.of(), stored());

        detector.heartbeat(PRIMARY, T0);
        HttpResponse<String> ordered = post("/api/servers/primary/rejoin",
                "{\"operator\":\"alice\",\"reason\":\"repaired\"}");
        assertEquals(202, ordered.statusCode(), ordered.body());
        RejoinStarted started = assertInstanceOf(RejoinStarted.class, stored().get(0));
        assertEquals("repaired", started.by().reason());
        assertEquals(2, stored().size(), "started, and the one dataset's order");

        HttpResponse<String> nothing = post("/api/servers/standby/rejoin", "{\"operator\":\"alice\"}");
        assertEquals(404, nothing.statusCode(), nothing.body());
    }

    @Test
    void aKeptRescueIsListedAndReleasedOnlyWithAReason() throws Exception {
        DatasetName rescue = DatasetName.of("primary/zsentinel-rescue/vm1-20261202T100000Z");
        rescues.on(new DivergenceKept(VM, PRIMARY, P_VM1.dataset(), rescue, P_VM1.dataset().snapshot("s1"),
                List.of("s2"), 100L, T0));
        JsonNode listed = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                + "/api/rescues")).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("primary:" + rescue, listed.get(0).path("name").asText(), listed.toString());

        String name = "\"name\":\"primary:" + rescue + "\"";
        assertEquals(400, post("/api/rescues/release", "{\"operator\":\"alice\"," + name + "}").statusCode());
        assertEquals(404, post("/api/rescues/release", "{\"operator\":\"alice\",\"reason\":\"x\","
                + "\"name\":\"primary:primary/zsentinel-rescue/other\"}").statusCode());
        HttpResponse<String> refused = post("/api/rescues/release", "{\"operator\":\"alice\",\"reason\":\"copied\","
                + name + "}");
        assertEquals(409, refused.statusCode(), "the rejoin aggregate kept no such rescue: " + refused.body());
    }

    @Test
    void aRescueTheRejoinKeptIsReleasedByAnOperator() throws Exception {
        detector.heartbeat(PRIMARY, T0);
        assertEquals(202, post("/api/servers/primary/rejoin", "{\"operator\":\"alice\"}").statusCode());
        DatasetRejoinOrdered order = assertInstanceOf(DatasetRejoinOrdered.class, stored().get(1));
        axon.commandGateway().sendAndWait(new RecordRejoinOutcome(RejoinEvent.rejoinId(VM, PRIMARY), PRIMARY,
                P_VM1.dataset(), order.commandId(), true, "kept", T0.plusSeconds(5)));
        assertEquals(1, rescues.rescues().size(), "the kept divergence is listed");

        HttpResponse<String> released = post("/api/rescues/release", "{\"operator\":\"bob\",\"reason\":\"copied\","
                + "\"name\":\"primary:" + order.rescue() + "\"}");
        assertEquals(202, released.statusCode(), released.body());
        RescueReleaseOrdered release = assertInstanceOf(RescueReleaseOrdered.class, stored().get(stored().size() - 1));
        assertEquals(order.rescue(), release.rescue());
        assertEquals("copied", release.by().reason());
        assertEquals("releasing", rescues.rescues().get(0).status());
    }
}
