package io.zsentinel.deploy.e2e;

import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import io.zsentinel.deploy.agent.Agent;
import io.zsentinel.deploy.config.ConfigFiles;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.config.KafkaConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.store.EmbeddedPostgresStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.zsentinel.deploy.e2e.Stack.run;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offsite copy keeps fewer hourly snapshots than its source (its link's own {@code keep}), takes none
 * of its own, and keeps its newest (the link's base): real zfs-fuse pools, Kafka, PostgreSQL.
 */
class ReplicaRetentionEndToEndTest {
    private static final String[] HOURLY = {"zsentinel_hourly_2026-11-20T01:00:00Z", "zsentinel_hourly_2026-11-20T02:00:00Z",
            "zsentinel_hourly_2026-11-20T03:00:00Z", "zsentinel_hourly_2026-11-20T04:00:00Z"};

    @TempDir
    static Path dir;
    static ZfsTestPools pools;
    static PoolName src;
    static PoolName dst;
    static EmbeddedPostgresStore postgres;
    static ControllerApp controller;
    static MessagePublisher publisher;
    static final List<Agent> agents = new ArrayList<>();

    @BeforeAll
    static void start() {
        pools = ZfsTestPools.open(dir.resolve("pools"), "zrr");
        src = pools.createPool("s", 128L << 20);
        dst = pools.createPool("d", 128L << 20);
        ZfsDriver.detect(pools.runner(), src).createDataset(new DatasetName(src + "/vm1"));
        Topics topics = KafkaTestBroker.freshTopics("replica", 1);
        KafkaConfig kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(),
                topics.prefix().substring(0, topics.prefix().length() - 1));
        ControllerConfig config = ConfigFiles.parse("""
                kafka: { bootstrap: "unused:9092" }
                retention:
                  tickSeconds: 1
                  policies:
                    - { match: "%s/**", keep: { hourly: 10 } }
                replication:
                  tickSeconds: 1
                  links:
                    - { match: "%s/vm*", targetServer: "%s", targetRoot: "%s", every: 1s, keep: { hourly: 2 } }
                """.formatted(dst, src, dst, dst), "controller.yaml", ControllerConfig.class);
        postgres = EmbeddedPostgresStore.start(dir.resolve("postgres"));
        controller = ControllerApp.start(new ControllerConfig(kafka, null, new ControllerConfig.HttpConfig("127.0.0.1", 0),
                null, config.retention(), config.replication()), postgres.dataSource(), Clock.systemUTC());
        publisher = MessagePublisher.create(KafkaTestBroker.bootstrapServers());
        agents.addAll(Stack.agentsFor(List.of(src, dst), kafka, pools, publisher));
    }

    @AfterAll
    static void stop() {
        List<AutoCloseable> all = new ArrayList<>(agents);
        all.addAll(List.of(publisher, controller, postgres, pools));
        Stack.closeAll(all);
    }

    @Test
    void theCopyKeepsItsOwnCountTakesNothingAndKeepsItsNewest() throws Exception {
        String source = src + "/vm1";
        String copy = dst + "/vm1";
        run("zfs", "snapshot", source + "@" + HOURLY[0]);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> snapshots(copy).contains(HOURLY[0])); // the first transfer is a full stream of the newest
        for (int i = 1; i < HOURLY.length; i++) {
            run("zfs", "snapshot", source + "@" + HOURLY[i]);
        }
        // the next sends the rest with -I; the copy then keeps its newest 2 hourly (its link's keep), although the
        // retention rule matching its pool says 10 and would take snapshots there
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> snapshots(copy).equals(List.of(HOURLY[2], HOURLY[3])));
        assertEquals(Arrays.asList(HOURLY), snapshots(source), "the source has no policy: it keeps all");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(120))
                .until(() -> snapshots(copy).equals(List.of(HOURLY[2], HOURLY[3]))); // nothing of its own appears
    }

    /** Short names, oldest first; none while the dataset does not exist. */
    private static List<String> snapshots(String dataset) throws Exception {
        Process p = new ProcessBuilder("zfs", "list", "-H", "-o", "name", "-t", "snapshot", "-s", "createtxg", "-r",
                dataset).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            return List.of();
        }
        return Arrays.stream(out.split("\n")).filter(l -> l.startsWith(dataset + "@"))
                .map(l -> l.substring(dataset.length() + 1)).toList();
    }
}
