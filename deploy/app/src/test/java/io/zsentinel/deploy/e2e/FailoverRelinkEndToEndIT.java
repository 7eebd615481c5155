package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.store.AxonStore;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.ServiceSwitched;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.zsentinel.deploy.e2e.Stack.run;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, replication re-planned after a failover, on real parts (zfs-fuse pools, an agent each, Kafka, PostgreSQL,
 * the controller): the primary replicates to the standby every second and to the offsite DC every hour, so the offsite
 * holds only the first snapshot when the service switches to the standby. The switch (a ServiceSwitched in the store,
 * as the Service aggregate records it) pauses the primary's links and gives the standby a link to the offsite, whose
 * first transfer is incremental from the snapshot they share by guid: the offsite keeps its snapshot and receives
 * only the newer ones, the standby's own new snapshot among them, and records the service's generation (the fence
 * against older orders). No link goes back to the former primary, and a snapshot the former primary still takes is
 * sent nowhere; a controller restart, which rebuilds the switch from the store, changes none of it.
 */
class FailoverRelinkEndToEndIT {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Primary (the first pool) to standby every second, to the offsite DC every hour. */
    private static final String YAML = """
            replication:
              tickSeconds: 1
              links:
                - { match: "%1$s/vm*", targetServer: "%2$s", targetRoot: "%2$s", every: 1s }
                - { match: "%1$s/vm*", targetServer: "%3$s", targetRoot: "%3$s", every: 1h }
            """;

    @TempDir
    static Path dir;
    static Fleet fleet;

    @BeforeAll
    static void start() {
        fleet = Fleet.start(dir, "zrl", 128L << 20, List.of("p", "s", "o"),
                pools -> YAML.formatted(pools.get(0), pools.get(1), pools.get(2)));
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void afterTheSwitchTheStandbyReplicatesToTheOffsiteIncrementallyAndThePrimarysLinksArePaused() throws Exception {
        PoolName primary = fleet.server(0), standby = fleet.server(1), offsite = fleet.server(2);
        DatasetName vm1 = fleet.vm1;
        DatasetName onStandby = new DatasetName(standby + "/vm1"), onOffsite = new DatasetName(offsite + "/vm1");
        Files.writeString(mountpoint(vm1).resolve("first.txt"), "before the fault");
        run("zfs", "snapshot", vm1 + "@s1");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> Fleet.snapshots(onStandby.value()).contains("s1")
                        && Fleet.snapshots(onOffsite.value()).contains("s1"));
        run("zfs", "snapshot", vm1 + "@s2");
        run("zfs", "snapshot", vm1 + "@s3");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> Fleet.snapshots(onStandby.value()).equals(List.of("s1", "s2", "s3")));
        assertEquals(List.of("s1"), Fleet.snapshots(onOffsite.value()), "the offsite link waits its hour");
        String s1OnOffsite = run("zfs", "get", "-H", "-p", "-o", "value", "guid,createtxg", onOffsite + "@s1");

        // The failover: the standby is promoted (writable) and serves; the Service aggregate records the switch.
        run("zfs", "set", "readonly=off", onStandby.value());
        run("zfs", "mount", onStandby.value());
        Files.writeString(mountpoint(onStandby).resolve("after.txt"), "written on the new primary");
        run("zfs", "snapshot", onStandby + "@s4");
        // once the controller knows s4 (else the switch's first transfer ends at s3 and s4 waits for the hour)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> HTTP.send(
                HttpRequest.newBuilder(URI.create(fleet.url("/api/datasets/" + Stack.encoded(onStandby.value())
                        + "/snapshots?server=" + standby))).build(), HttpResponse.BodyHandlers.ofString())
                .body().contains(onStandby + "@s4"));
        ServiceSwitched switched = new ServiceSwitched(ServiceName.of("vm"), FailoverId.random(),
                new ServerId(primary.value()), new ServerId(standby.value()), 2, List.of(vm1), Instant.now());
        AxonStore.create(fleet.postgres.dataSource()).storageEngine()
                .appendEvents(new GenericDomainEventMessage<>("Service", "vm", 0, switched));

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> Fleet.snapshots(onOffsite.value()).equals(List.of("s1", "s2", "s3", "s4")));
        assertEquals(s1OnOffsite, run("zfs", "get", "-H", "-p", "-o", "value", "guid,createtxg", onOffsite + "@s1"),
                "the offsite kept its own s1: received incrementally, not resent whole");
        for (String s : List.of("s2", "s3", "s4")) {
            assertEquals(guid(onStandby + "@" + s), guid(onOffsite + "@" + s), s + " came from the new primary");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> run("zfs", "get", "-H", "-o", "value",
                "zsentinel:generation", onOffsite.value()).strip().equals("2"));
        // the offsite now carries the service's generation: an order from before the failover is refused there
        JsonNode successor = link(standby, offsite);
        await().atMost(Duration.ofSeconds(30)).until(() -> link(standby, offsite).path("base").path("name").asText()
                .equals(onStandby + "@s4"));
        assertTrue(successor.path("lastFailureReason").isNull() || successor.path("lastFailureReason").isMissingNode(),
                successor.toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> link(primary, standby).path("paused").isObject()
                && link(primary, offsite).path("paused").isObject());
        String reason = link(primary, offsite).path("paused").path("reason").asText();
        assertTrue(reason.contains("failover " + switched.failover()), reason);
        assertTrue(link(standby, primary).isEmpty(), "no link back to the former primary");

        run("zfs", "snapshot", vm1 + "@s5-stale");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> !Fleet.snapshots(onOffsite.value()).contains("s5-stale")
                        && !Fleet.snapshots(onStandby.value()).contains("s5-stale"));

        // A controller restart rebuilds the switch from the store: the links stay as the failover left them.
        fleet.restartController(pools -> YAML.formatted(pools.get(0), pools.get(1), pools.get(2)));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> link(primary, standby).path("paused").isObject() && link(primary, offsite).path("paused")
                        .isObject() && link(standby, offsite).path("base").path("name").asText().equals(onStandby + "@s4"));
        run("zfs", "snapshot", vm1 + "@s6-stale");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> Fleet.snapshots(onOffsite.value()).equals(List.of("s1", "s2", "s3", "s4"))
                        && !Fleet.snapshots(onStandby.value()).contains("s6-stale"));
        assertEquals(s1OnOffsite, run("zfs", "get", "-H", "-p", "-o", "value", "guid,createtxg", onOffsite + "@s1"));
        assertTrue(link(standby, primary).isEmpty(), "no link back to the former primary after the restart either");
    }

    private static JsonNode link(PoolName source, PoolName target) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(fleet.url("/api/replication/links"))).build(),
                HttpResponse.BodyHandlers.ofString());
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode link : JSON.readTree(r.body())) {
            if (link.path("source").path("server").asText().equals(source.value())
                    && link.path("target").path("server").asText().equals(target.value())) {
                found.add(link);
            }
        }
        return found.isEmpty() ? JSON.createObjectNode() : found.get(0);
    }

    private static String guid(String snapshot) throws Exception {
        return run("zfs", "get", "-H", "-p", "-o", "value", "guid", snapshot).strip();
    }

    private static Path mountpoint(DatasetName dataset) throws Exception {
        return Path.of(run("zfs", "get", "-H", "-o", "value", "mountpoint", dataset.value()).strip());
    }
}
