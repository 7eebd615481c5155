package io.zsentinel.deploy.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.ManualClock;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetGlob;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.failover.FailoverReactor;
import io.zsentinel.deploy.failover.Situations;
import io.zsentinel.failover.api.RegisterService;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.failover.process.ServiceAggregate;
import io.zsentinel.failover.service.ServiceCatalogue;
import io.zsentinel.failover.service.ServiceDefinition;
import io.zsentinel.projections.web.ServiceRoutes;
import io.zsentinel.projections.service.ServicesView;
import io.zsentinel.projections.web.ApiServer;
import io.zsentinel.projections.web.Routes;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.LinkId;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /api/services/{name}/ack|force} against a real Axon configuration with the Service aggregate. */
class FailoverRoutesTest {
    static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
    static final ServiceName VM = ServiceName.of("vm");
    static final ServerId PRIMARY = ServerId.of("primary");
    static final ServerId STANDBY = ServerId.of("standby");
    static final DatasetName VM1 = DatasetName.of("primary/vm1");
    static final DatasetName COPY = DatasetName.of("standby/vm1");
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final ManualClock clock = new ManualClock(T0);
    final ServicesView services = new ServicesView();
    Configuration axon;
    ApiServer api;

    @BeforeEach
    void start() throws Exception {
        System.setProperty("axoniq.update-checker.disabled", "true");
        axon = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> JacksonSerializer.builder().objectMapper(Json.newMapper()).build())
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .configureAggregate(ServiceAggregate.class)
                .eventProcessing(ep -> ep.registerSubscribingEventProcessor(ServicesView.PROCESSING_GROUP)
                        .registerEventHandler(c -> services))
                .start();
        ServiceDefinition vm = new ServiceDefinition(VM, DatasetGlob.of("primary/vm*"), PRIMARY, List.of(STANDBY), null,
                null, null, null);
        FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
        detector.heartbeat(PRIMARY, T0);
        detector.heartbeat(STANDBY, T0);
        SnapshotInfo s1 = new SnapshotInfo(VM1.snapshot("s1"), new Guid(7), 1, T0.minusSeconds(60), 1, 1);
        SnapshotInfo copied = new SnapshotInfo(COPY.snapshot("s1"), new Guid(7), 1, T0.minusSeconds(60), 1, 1);
        Map<DatasetId, List<SnapshotInfo>> inventory = Map.of(new DatasetId(PRIMARY, VM1), List.of(s1),
                new DatasetId(STANDBY, COPY), List.of(copied));
        Situations situations = new Situations(detector, () -> List.copyOf(inventory.keySet()),
                id -> inventory.getOrDefault(id, List.of()),
                () -> List.of(new LinkId(new DatasetId(PRIMARY, VM1), new DatasetId(STANDBY, COPY))));
        FailoverReactor reactor = new FailoverReactor(new ServiceCatalogue(List.of(vm)), situations,
                Duration.ofSeconds(15), Duration.ofMinutes(5), b -> axon.commandGateway().sendAndWait(b), clock);
        Routes routes = new Routes();
        new ServiceRoutes(services).addTo(routes);
        new FailoverRoutes(axon.commandGateway(), services, reactor, clock).addTo(routes);
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), routes, 2);
        axon.commandGateway().sendAndWait(new RegisterService(VM, PRIMARY, List.of(STANDBY), T0));
    }

    @AfterEach
    void stop() {
        api.close();
        axon.shutdown();
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aForcedFailoverStartsAndWhileItRunsNeitherAckNorAnotherForceIsTaken() throws Exception {
        HttpResponse<String> forced = post("/api/services/vm/force",
                "{\"to\": \"standby\", \"operator\": \"alice@ops\", \"reason\": \"planned test\"}");
        assertEquals(202, forced.statusCode(), forced.body());
        JsonNode answer = JSON.readTree(forced.body());
        assertEquals("primary", answer.path("from").asText());
        assertEquals("standby", answer.path("to").asText());
        assertEquals("failing-over", services.find(VM).orElseThrow().state(), "the failover runs");

        HttpResponse<String> ack = post("/api/services/vm/ack", "{\"operator\": \"alice@ops\"}");
        assertEquals(409, ack.statusCode(), ack.body());
        assertTrue(ack.body().contains("running"), ack.body());
        HttpResponse<String> again = post("/api/services/vm/force",
                "{\"to\": \"standby\", \"operator\": \"alice@ops\", \"reason\": \"again\"}");
        assertEquals(409, again.statusCode(), again.body());
    }

    @Test
    void nothingToAcknowledgeIsAConflictSayingSo() throws Exception {
        HttpResponse<String> ack = post("/api/services/vm/ack", "{\"operator\": \"alice@ops\"}");
        assertEquals(409, ack.statusCode(), ack.body());
        assertTrue(ack.body().contains("not blocked"), ack.body());
    }

    @Test
    void badOrdersAreRefusedBeforeAnythingIsOrdered() throws Exception {
        assertEquals(404, post("/api/services/nosuch/force",
                "{\"to\": \"standby\", \"operator\": \"a\", \"reason\": \"r\"}").statusCode());
        HttpResponse<String> noReason = post("/api/services/vm/force", "{\"to\": \"standby\", \"operator\": \"a\"}");
        assertEquals(400, noReason.statusCode(), noReason.body());
        assertTrue(noReason.body().contains("reason"), noReason.body());
        assertEquals(400, post("/api/services/vm/force",
                "{\"to\": \"standby; reboot\", \"operator\": \"a\", \"reason\": \"r\"}").statusCode());
        assertEquals(400, post("/api/services/vm/force", "{\"operator\": \"a\", \"reason\": \"r\"}").statusCode());
        assertEquals("serving", services.find(VM).orElseThrow().state(), "nothing was ordered");
    }

    @Test
    void aSwitchoverStartsDemotingThePrimaryAndWhileItRunsNoOtherOrderIsTaken() throws Exception {
        HttpResponse<String> ordered = post("/api/services/vm/switchover",
                "{\"to\": \"standby\", \"operator\": \"bob@ops\", \"reason\": \"disk firmware\"}");
        assertEquals(202, ordered.statusCode(), ordered.body());
        JsonNode answer = JSON.readTree(ordered.body());
        assertEquals("primary", answer.path("from").asText());
        assertEquals("standby", answer.path("to").asText());
        assertEquals("failing-over", services.find(VM).orElseThrow().state(), "the switchover runs");
        ServicesView.Switchover running = services.switchovers().get(0);
        assertEquals(io.zsentinel.failover.api.FailoverStep.DEMOTING, running.step());
        assertEquals(2, running.generation());
        assertEquals(COPY.snapshot("zsentinel-switchover-2"), running.datasets().get(0).rollbackTo(),
                "the standby's copy is promoted to the final snapshot");

        HttpResponse<String> again = post("/api/services/vm/switchover",
                "{\"to\": \"standby\", \"operator\": \"bob@ops\", \"reason\": \"again\"}");
        assertEquals(409, again.statusCode(), again.body());
        assertTrue(again.body().contains("is running (demoting"), again.body());
        assertEquals(409, post("/api/services/vm/force",
                "{\"to\": \"standby\", \"operator\": \"bob@ops\", \"reason\": \"r\"}").statusCode());
    }

    @Test
    void aSwitchoverToNoStandbyOrWithoutAReasonIsRefusedSayingWhy() throws Exception {
        HttpResponse<String> elsewhere = post("/api/services/vm/switchover",
                "{\"to\": \"elsewhere\", \"operator\": \"bob@ops\", \"reason\": \"r\"}");
        assertEquals(409, elsewhere.statusCode(), elsewhere.body());
        assertTrue(elsewhere.body().contains("elsewhere is not a configured standby of vm"), elsewhere.body());
        assertTrue(elsewhere.body().contains("standby elsewhere is unknown, not healthy"), elsewhere.body());
        HttpResponse<String> noReason = post("/api/services/vm/switchover", "{\"to\": \"standby\", \"operator\": \"a\"}");
        assertEquals(400, noReason.statusCode(), noReason.body());
        assertEquals("serving", services.find(VM).orElseThrow().state(), "nothing was ordered");
        assertTrue(services.switchovers().isEmpty());
    }
}
