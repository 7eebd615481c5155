package io.zsentinel.deploy.agent;

import io.zsentinel.core.values.Hook;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.DatasetRole;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A primary's agent that cannot reach Kafka for its lease makes its primary datasets read-only and runs the demote
 * hook, on a real pool; with Kafka reachable it keeps serving. A lease that ran out while the agent was down (its last
 * renewal kept in the state directory) stands the primaries down at start, and so does a pool imported again under a
 * running agent.
 */
class PrimaryLeaseIT {
    private static final Duration ZFS_FUSE_ROOM = Duration.ofSeconds(120);
    @TempDir
    Path dir;
    /** What a test opened, closed in reverse order after it. */
    private final java.util.Deque<AutoCloseable> opened = new java.util.ArrayDeque<>();

    @AfterEach
    void closeOpened() throws Exception {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
    }

    @Test
    void aPrimaryCutOffFromKafkaForItsLeaseStopsTakingWritesAndRunsTheDemoteHook() throws Exception {
        ZfsTestPools pools = open(ZfsTestPools.open(dir.resolve("pools"), "zlease"));
        PoolName pool = pools.createPool("p", 128L << 20);
        ZfsDriver zfs = ZfsDriver.detect(pools.runner(), pool);
        DatasetName primary = DatasetName.of(pool.value()).child("vm1");
        DatasetName replica = DatasetName.of(pool.value()).child("vm2");
        zfs.createDataset(primary);
        zfs.createDataset(replica);
        zfs.promote(primary, 4);
        zfs.demote(replica, 4);
        Path files = zfs.mountpoint(primary).orElseThrow();
        Files.writeString(files.resolve("before"), "written while serving");
        Path hookSaw = dir.resolve("hook-environment");

        String nobody = "127.0.0.1:" + closedPort(); // a broker that is not there: no heartbeat is ever acknowledged
        MessagePublisher publisher = open(MessagePublisher.create(nobody));
        AgentConfig config = new AgentConfig(new ServerId(pool.value()), new KafkaConfig(nobody, "lease"), List.of(pool),
                1, 1, null, null, null, null, null, 2,
                new AgentHooks(new Hook(List.of("cp", "/proc/self/environ", hookSaw.toString()), Duration.ofSeconds(30))));
        Agent agent = open(new Agent(config, zfs, publisher, Clock.systemUTC()).start());

        await("the primary made read-only").atMost(ZFS_FUSE_ROOM).pollInterval(Duration.ofMillis(500))
                .until(() -> !zfs.role(primary).primary());
        assertEquals(new DatasetRole(4, false), zfs.role(primary), "its generation kept");
        assertEquals(new DatasetRole(4, false), zfs.role(replica), "a replica stays as it was");
        assertThrows(IOException.class, () -> Files.writeString(files.resolve("after"), "refused"));
        assertTrue(Files.exists(files.resolve("before")));
        await("the demote hook ran").atMost(ZFS_FUSE_ROOM).until(() -> Files.exists(hookSaw)
                && Files.readString(hookSaw).contains("ZSENTINEL_DATASETS=" + primary.value()));
        String environment = Files.readString(hookSaw).replace('\0', '\n');
        assertTrue(environment.contains("ZSENTINEL_REASON=lease-expired"), environment);
        assertTrue(environment.contains("ZSENTINEL_GENERATION=4"), environment);
        assertEquals(List.of(primary), agent.selfDemoted());
    }

    @Test
    void aPrimaryThatReachesKafkaKeepsServing() {
        ZfsTestPools pools = open(ZfsTestPools.open(dir.resolve("pools"), "zleaseok"));
        PoolName pool = pools.createPool("p", 128L << 20);
        ZfsDriver zfs = ZfsDriver.detect(pools.runner(), pool);
        DatasetName primary = DatasetName.of(pool.value()).child("vm1");
        zfs.createDataset(primary);
        zfs.promote(primary, 1);
        Topics topics = KafkaTestBroker.freshTopics("lease-ok", 1);
        MessagePublisher publisher = open(MessagePublisher.create(KafkaTestBroker.bootstrapServers()));
        AgentConfig config = new AgentConfig(new ServerId(pool.value()), new KafkaConfig(KafkaTestBroker.bootstrapServers(),
                topics.prefix().substring(0, topics.prefix().length() - 1)), List.of(pool), 1, 1, null, null, null, null,
                null, 2, null);
        Agent agent = open(new Agent(config, zfs, publisher, Clock.systemUTC()).start());
        // several leases long: every one renewed in time
        await().during(Duration.ofSeconds(8)).atMost(ZFS_FUSE_ROOM).pollInterval(Duration.ofMillis(500))
                .until(() -> zfs.role(primary).primary());
        assertEquals(List.of(), agent.selfDemoted());
    }

    @Test
    void aPrimaryWhoseLeaseRanOutWhileItsAgentWasDownStandsDownAtStartAndReportsIt() throws Exception {
        // an earlier run of this agent last renewed its lease a minute ago (lease 2 s), then its server went down
        Restarted restarted = restartedAgent("zleasedown", Instant.now().minusSeconds(60), 2);
        DatasetName primary = restarted.primary();
        // before start returned, not at the first look a second later: nothing of the old generation serves
        assertEquals(new DatasetRole(3, false), restarted.zfs().role(primary), "stood down at its generation before"
                + " start returned");
        assertEquals(List.of(primary), restarted.agent().selfDemoted());
        await("the stand-down reported once the lease holds again").atMost(ZFS_FUSE_ROOM)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> KafkaTestBroker.readFromStart(KafkaTestBroker.bootstrapServers(),
                        restarted.topics().agentEvents(), 1000, Duration.ofSeconds(2)).stream()
                        .anyMatch(r -> r.value().contains("PrimaryStoodDown") && r.value().contains(primary.value())));
        // and the renewals are recorded again for the next start
        await().atMost(ZFS_FUSE_ROOM).until(() -> Instant.parse(Files.readString(restarted.leaseFile()).strip())
                .isAfter(Instant.now().minusSeconds(30)));
    }

    @Test
    void anAgentRestartedWithinItsLeaseKeepsItsPrimaryServing() throws Exception {
        Restarted restarted = restartedAgent("zleaseup", Instant.now(), 30);
        await().during(Duration.ofSeconds(4)).atMost(ZFS_FUSE_ROOM).pollInterval(Duration.ofMillis(500))
                .until(() -> restarted.zfs().role(restarted.primary()).primary());
        assertEquals(List.of(), restarted.agent().selfDemoted());
    }

    @Test
    void aPoolImportedAgainUnderARunningAgentHasItsPrimariesStoodDownAndReported() throws Exception {
        Restarted running = restartedAgent("zleasepool", Instant.now(), 30);
        DatasetName primary = running.primary();
        PoolName pool = running.pool();
        assertTrue(running.zfs().role(primary).primary(), "serving at start: restarted within its lease");
        // the pool goes (a fault, an export) and comes back while the agent runs; meanwhile another server may have
        // been promoted, so the copy must not serve again before the controller says so
        await().atMost(ZFS_FUSE_ROOM).pollInterval(Duration.ofSeconds(1))
                .until(() -> zpool("export", pool.value()) == 0);
        await().atMost(ZFS_FUSE_ROOM).pollInterval(Duration.ofSeconds(1))
                .until(() -> zpool("import", "-d", running.vdevDirectory().toString(), pool.value()) == 0);
        await("stood down once its agent saw the pool again").atMost(ZFS_FUSE_ROOM).pollInterval(Duration.ofMillis(200))
                .until(() -> !running.zfs().role(primary).primary());
        assertEquals(new DatasetRole(3, false), running.zfs().role(primary), "its generation kept");
        assertEquals(List.of(primary), running.agent().selfDemoted());
        await("the stand-down reported").atMost(ZFS_FUSE_ROOM).pollInterval(Duration.ofMillis(500))
                .until(() -> KafkaTestBroker.readFromStart(KafkaTestBroker.bootstrapServers(),
                        running.topics().agentEvents(), 1000, Duration.ofSeconds(2)).stream()
                        .anyMatch(r -> r.value().contains("PrimaryStoodDown") && r.value().contains(primary.value())));
    }

    private static int zpool(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("zpool"));
        command.addAll(List.of(args));
        return new io.zsentinel.core.zfs.ProcessCommandRunner().run(command, Duration.ofSeconds(60)).exitCode();
    }

    private record Restarted(ZfsDriver zfs, PoolName pool, Path vdevDirectory, DatasetName primary, Topics topics,
                             Path leaseFile, Agent agent) {
    }

    /**
     * An agent started on a pool whose dataset vm1 is the primary at generation 3, with a state directory in which an
     * earlier run recorded its lease's last renewal at {@code lastRenewal}; a real broker.
     */
    private Restarted restartedAgent(String poolPrefix, Instant lastRenewal, int leaseSeconds) throws IOException {
        ZfsTestPools pools = open(ZfsTestPools.open(dir.resolve("pools"), poolPrefix));
        PoolName pool = pools.createPool("p", 128L << 20);
        ZfsDriver zfs = ZfsDriver.detect(pools.runner(), pool);
        DatasetName primary = DatasetName.of(pool.value()).child("vm1");
        zfs.createDataset(primary);
        zfs.promote(primary, 3);
        Topics topics = KafkaTestBroker.freshTopics(poolPrefix, 1);
        String cell = topics.prefix().substring(0, topics.prefix().length() - 1);
        ServerId server = new ServerId(pool.value());
        Path state = dir.resolve("state");
        Path leaseFile = state.resolve("lease-renewed-" + cell + "-" + server.value());
        Files.createDirectories(state);
        Files.writeString(leaseFile, lastRenewal + "\n");
        MessagePublisher publisher = open(MessagePublisher.create(KafkaTestBroker.bootstrapServers()));
        AgentConfig config = new AgentConfig(server, new KafkaConfig(KafkaTestBroker.bootstrapServers(), cell),
                List.of(pool), 1, 1, null, null, null, null, null, leaseSeconds, null, null, null, state.toString());
        return new Restarted(zfs, pool, pools.vdevFiles(pool).get(0).getParent(), primary, topics, leaseFile,
                open(new Agent(config, zfs, publisher, Clock.systemUTC()).start()));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.push(resource);
        return resource;
    }
}
