package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.kafka.KafkaSettings;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import io.zsentinel.deploy.broker.EmbeddedKafkaBroker;
import io.zsentinel.deploy.controller.ControllerApp;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Kafka outage longer than the agents' lease, on real parts (zfs-fuse pools, an agent each, a broker of the test's
 * own that is stopped and started again, PostgreSQL, the controller): the primary stands down on its own lease (its
 * copy read-only), nobody is declared failed (the controller lost the broker too), and once the broker is back the
 * controller resumes the primary at a new generation: the same server serves again, writable, without a failover.
 */
class KafkaOutageEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ZFS_FUSE_ROOM = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private ZfsTestPools pools;
    private ControllerApp controller;

    @AfterEach
    void stop() {
        FailoverStack.stop(open, pools, dir.resolve("pools"), null);
    }

    @Test
    void aPrimaryThatStoodDownDuringABrokerOutageServesAgainWhenTheBrokerIsBackWithoutAFailover() throws Exception {
        pools = ZfsTestPools.open(dir.resolve("pools"), "ko");
        PoolName primary = pools.createPool("p", 128L << 20);
        PoolName standby = pools.createPool("s", 128L << 20);
        DatasetName vm1 = new DatasetName(primary + "/vm1");
        ZfsDriver.detect(pools.runner(), primary).createDataset(vm1);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka")).start();
        open.push(broker);
        Topics topics = new Topics("outage.");
        try (Admin admin = Admin.create(KafkaSettings.admin(broker.bootstrapServers()))) {
            topics.createAll(admin, 1, (short) 1);
        }
        KafkaConfig kafka = new KafkaConfig(broker.bootstrapServers(), "outage");
        controller = FailoverStack.service(kafka, pools, primary, standby, dir.resolve("postgres"), open);

        Path files = mountpoint(vm1);
        Files.writeString(files.resolve("records.log"), "record 1\n", StandardOpenOption.CREATE);
        Stack.run("zfs", "snapshot", vm1 + "@s1");
        await("replicated and claimed").atMost(ZFS_FUSE_ROOM).pollInterval(Duration.ofMillis(500))
                .until(() -> Fleet.snapshots(standby + "/vm1").contains("s1") && role(vm1).equals("primary")
                        && FailoverStack.health(controller, standby).equals("healthy"));

        broker.stop();
        try {
            await("the primary stands down on its lease").atMost(ZFS_FUSE_ROOM).pollInterval(Duration.ofMillis(500))
                    .until(() -> role(vm1).equals("stood-down"));
        } finally {
            broker.start();
        }
        assertThrows(java.io.IOException.class, () -> Files.writeString(files.resolve("during-outage"), "x"),
                "read-only while its lease had run out");

        try {
            await("the primary resumed").atMost(ZFS_FUSE_ROOM).pollInterval(Duration.ofMillis(500))
                    .until(() -> role(vm1).equals("primary") && generation(vm1) == 2);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not resumed: role " + role(vm1) + ", service " + get("/api/services/vm1"), e);
        }
        Files.writeString(files.resolve("records.log"), "record 2 (after the outage)\n", StandardOpenOption.APPEND);
        await("the service row at the new generation").atMost(ZFS_FUSE_ROOM).pollInterval(Duration.ofMillis(500))
                .until(() -> service().path("service").path("generation").asLong() == 2);
        JsonNode row = service();
        assertEquals(primary.value(), row.path("service").path("primary").asText(), row.toString());
        assertEquals("serving", row.path("service").path("state").asText(), row.toString());
        assertEquals(0, row.path("failovers").size(), "resumed, not failed over: " + row);
        String log = Files.readString(files.resolve("records.log"));
        assertTrue(log.contains("record 2"), log);
    }

    private static String role(DatasetName dataset) throws Exception {
        return Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:role", dataset.value()).strip();
    }

    private static long generation(DatasetName dataset) throws Exception {
        String value = Stack.run("zfs", "get", "-H", "-o", "value", "zsentinel:generation", dataset.value()).strip();
        return value.equals("-") ? 0 : Long.parseLong(value);
    }

    private static Path mountpoint(DatasetName dataset) throws Exception {
        return Path.of(Stack.run("zfs", "get", "-H", "-o", "value", "mountpoint", dataset.value()).strip());
    }

    private JsonNode service() throws Exception {
        return JSON.readTree(get("/api/services/vm1"));
    }

    private String get(String path) throws Exception {
        return FailoverStack.get(controller, path);
    }
}
