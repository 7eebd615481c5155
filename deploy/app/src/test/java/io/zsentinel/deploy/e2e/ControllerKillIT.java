package io.zsentinel.deploy.e2e;

import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.deploy.cli.StatusCommandAccess;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.config.ControllerLeaseConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import io.zsentinel.deploy.lease.ControllerLease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The active controller is a process of its own ({@code zsentinel controller}, a child JVM) and is killed with
 * SIGKILL: no shutdown hook, its lease is not given up. The standby (in this JVM) takes it over once it lapses, at
 * epoch 2; when its lease is taken from it in turn, it stops and says it is a standby. Logs the takeover time
 * ("takeover after kill -9:"); no zfs involved.
 */
class ControllerKillIT {
    private static final Logger log = LoggerFactory.getLogger(ControllerKillIT.class);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private Process child;
    private EmbeddedPostgresStore postgres;
    private ControllerApp standby;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
        Stack.closeAll(java.util.Arrays.asList(standby, postgres));
    }

    @Test
    void aKilledActiveControllerIsReplacedByTheStandbyAtTheNextEpoch() throws Exception {
        Topics topics = KafkaTestBroker.freshTopics("zhakill", 1);
        String cell = topics.prefix().substring(0, topics.prefix().length() - 1);
        KafkaConfig kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(), cell);
        postgres = EmbeddedPostgresStore.start(dir.resolve("postgres"));
        Path config = Files.writeString(dir.resolve("controller.yaml"), """
                kafka: { bootstrap: "%s", cell: "%s" }
                store: { url: "%s", user: postgres }
                http: { host: 127.0.0.1, port: 0 }
                controllerLease: { holder: ctl-child }
                """.formatted(KafkaTestBroker.bootstrapServers(), cell, postgres.jdbcUrl()));
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        child = new ProcessBuilder(List.of(java, "-Xmx256m", "-Daxoniq.update-checker.disabled=true", "-cp",
                System.getProperty("java.class.path"), "io.zsentinel.deploy.cli.Main", "controller", "--config",
                config.toString())).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        ControllerLease lease = new ControllerLease(postgres.dataSource(), cell,
                Duration.ofSeconds(ControllerLeaseConfig.DEFAULT_TTL_SECONDS));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> lease.current().filter(h -> h.live() && h.holder().equals("ctl-child")).isPresent());

        standby = ControllerApp.start(new ControllerConfig(kafka, null, new ControllerConfig.HttpConfig("127.0.0.1", 0),
                null, null, null, null, null, new ControllerLeaseConfig(null, null, "ctl-b")), postgres.dataSource(),
                Clock.systemUTC());
        assertFalse(standby.active());
        HttpResponse<String> health = health(standby);
        assertEquals(503, health.statusCode());
        assertTrue(health.body().contains("ctl-child is active at epoch 1"), health.body());
        StatusCommandAccess.Printed asked = StatusCommandAccess.run(url(standby));
        assertEquals(1, asked.exit(), "zsentinel status against a standby: " + asked.text());
        assertTrue(asked.text().startsWith("controller: standby: ctl-child is active at epoch 1"), asked.text());

        Instant killed = Instant.now();
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(standby::active);
        long millis = Duration.between(killed, Instant.now()).toMillis();
        log.info("takeover after kill -9: {} ms (lease ttl {} s, renew {} s)", millis,
                ControllerLeaseConfig.DEFAULT_TTL_SECONDS, ControllerLeaseConfig.DEFAULT_RENEW_SECONDS);
        assertEquals(2, standby.lease().epoch());
        assertEquals("ctl-b", lease.current().orElseThrow().holder());
        assertTrue(millis < (ControllerLeaseConfig.DEFAULT_TTL_SECONDS + 2L * ControllerLeaseConfig.DEFAULT_RENEW_SECONDS
                + 10) * 1000, "takeover within ttl + renew + start: " + millis + " ms");
        HttpResponse<String> active = health(standby);
        assertTrue(active.body().contains("active at epoch 2 (ctl-b)"), active.body());
        assertTrue(StatusCommandAccess.print(url(standby)).startsWith("controller: active at epoch 2 (ctl-b)\n"));

        // its lease taken from under it (another controller after a pause of this one longer than the ttl): it stops
        // its active parts at its next renewal and says it is a standby
        try (var c = postgres.dataSource().getConnection(); var s = c.prepareStatement("UPDATE zsentinel_controller_lease"
                + " SET holder = 'ctl-c', epoch = 3, expires_at = now() + interval '1 minute' WHERE cell = ?")) {
            s.setString(1, cell);
            assertEquals(1, s.executeUpdate());
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> !standby.active());
        HttpResponse<String> deposed = health(standby);
        assertEquals(503, deposed.statusCode());
        assertTrue(deposed.body().contains("\"STANDBY\"") && deposed.body().contains("ctl-c")
                && deposed.body().contains("epoch 3"),
                deposed.body());
    }

    private static HttpResponse<String> health(ControllerApp controller) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(controller) + "/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String url(ControllerApp controller) {
        return "http://127.0.0.1:" + controller.httpPort();
    }
}
