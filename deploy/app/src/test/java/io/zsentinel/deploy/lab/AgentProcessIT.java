package io.zsentinel.deploy.lab;

import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lab server's agent as a process of its own, on a real pool and the in-process broker: it reports, a
 * freeze (SIGSTOP) silences it while it stays alive, a thaw lets it go on, a crash (SIGKILL) ends it, a start
 * brings it back, and the lab's stop ends it with its own shutdown. The faults of issue 11 are built on these.
 */
class AgentProcessIT {
    private static final Duration ZFS_FUSE_ROOM = Duration.ofSeconds(120);
    @TempDir
    Path dir;
    private ZfsTestPools pools;
    private AgentProcess agent;

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
        if (pools != null) {
            pools.close();
        }
    }

    @Test
    void anAgentProcessReportsFreezesThawsCrashesAndStartsAgain() throws Exception {
        Topics topics = KafkaTestBroker.freshTopics("agent-process", 1);
        ServerId server = serverOnAPool("zagentproc");
        Path config = agentYaml(server, topics);
        Path log = dir.resolve("logs").resolve(server.value() + ".log");

        agent = AgentProcess.start(server, config, log);
        Instant started = Instant.now();
        awaitHeartbeatAfter(topics, server, started.minusSeconds(5), log);

        agent.freeze();
        Instant frozenAt = Instant.now();
        assertTrue(agent.alive() && agent.frozen(), "a frozen agent is still a process");
        // silent for several heartbeat intervals: nothing it stamped after the freeze reaches Kafka
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> heartbeatsAfter(topics, server, frozenAt).isEmpty());

        agent.thaw();
        Instant thawedAt = Instant.now();
        awaitHeartbeatAfter(topics, server, thawedAt, log);

        long firstPid = agent.pid().orElseThrow();
        agent.crash();
        assertFalse(agent.alive(), "SIGKILL ends the agent");
        Instant crashedAt = Instant.now();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> heartbeatsAfter(topics, server, crashedAt).isEmpty());

        agent.start();
        assertTrue(agent.pid().orElseThrow() != firstPid, "a new process");
        awaitHeartbeatAfter(topics, server, crashedAt, log);

        agent.close();
        assertFalse(agent.alive(), "the lab's stop ends the agent");
        assertTrue(Files.readString(log).contains(server.value()), "the agent's output goes to its log file: " + log);
    }

    @Test
    void aLabStartedAgainStopsTheAgentItsKilledPredecessorLeftRunning() throws Exception {
        ServerId server = serverOnAPool("zagentstale");
        Path config = agentYaml(server, KafkaTestBroker.freshTopics("agent-stale", 1));
        Path log = dir.resolve(server.value() + ".log");
        AgentProcess orphan = AgentProcess.start(server, config, log); // its lab "killed": never closed
        try {
            long pid = orphan.pid().orElseThrow();
            await("the first agent running its own program").atMost(ZFS_FUSE_ROOM).until(() -> AgentProcess.commandLine(pid)
                    .map(line -> line.contains(AgentProcess.MAIN)).orElse(false));
            agent = AgentProcess.start(server, config, log);
            assertFalse(orphan.alive(), "the earlier agent of the same server was stopped");
            assertTrue(agent.alive());
        } finally {
            orphan.close();
        }
    }

    @Test
    void aFrozenPrimaryMakesItsDatasetsReadOnlyAsSoonAsItResumes() throws Exception {
        ServerId server = serverOnAPool("zagentfrozen");
        ZfsDriver zfs = ZfsDriver.detect(pools.runner(), new PoolName(server.value()));
        DatasetName vm1 = DatasetName.of(server.value()).child("vm1");
        zfs.createDataset(vm1);
        zfs.promote(vm1, 1);
        Topics topics = KafkaTestBroker.freshTopics("agent-frozen", 1);
        Path config = agentYaml(server, topics);
        Files.writeString(config, Files.readString(config) + "leaseSeconds: 2\n");
        agent = AgentProcess.start(server, config, dir.resolve("frozen.log"));
        awaitHeartbeatAfter(topics, server, Instant.now().minusSeconds(5), dir.resolve("frozen.log"));
        assertTrue(zfs.role(vm1).primary(), "serving while its heartbeats are acknowledged");

        agent.freeze();
        Instant frozenAt = Instant.now();
        // paused past its lease: the controller may promote another server by now
        await().atMost(Duration.ofSeconds(60)).until(() -> Instant.now().isAfter(frozenAt.plusSeconds(5)));
        assertTrue(zfs.role(vm1).primary(), "a frozen process does nothing, not even demote itself");
        agent.thaw();
        await("the resumed agent demotes its primary dataset").atMost(ZFS_FUSE_ROOM).pollInterval(Duration.ofMillis(250))
                .until(() -> !zfs.role(vm1).primary());
        assertEquals(1, zfs.role(vm1).generation());
    }

    /** A server named like the test pool it watches. */
    private ServerId serverOnAPool(String family) {
        pools = ZfsTestPools.open(dir.resolve("pools"), family);
        return new ServerId(pools.createPool("p", 128L << 20).value());
    }

    /** Its agent.yaml: the server's pool, the test's topics, a heartbeat and scan every second. */
    private Path agentYaml(ServerId server, Topics topics) throws java.io.IOException {
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, "server: \"" + server.value() + "\"\n"
                + "kafka: { bootstrap: \"" + KafkaTestBroker.bootstrapServers() + "\", cell: \""
                + topics.prefix().substring(0, topics.prefix().length() - 1) + "\" }\n"
                + "pools: [ \"" + server.value() + "\" ]\n"
                + "heartbeatSeconds: 1\nscanSeconds: 1\n");
        return config;
    }

    private void awaitHeartbeatAfter(Topics topics, ServerId server, Instant after, Path log) {
        await("a heartbeat of " + server + " after " + after + " (agent log " + log + ")").atMost(ZFS_FUSE_ROOM)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !heartbeatsAfter(topics, server, after).isEmpty());
    }

    private static List<AgentHeartbeat> heartbeatsAfter(Topics topics, ServerId server, Instant after) {
        EnvelopeCodec codec = new EnvelopeCodec(CoreMessages.types());
        return KafkaTestBroker.readFromStart(KafkaTestBroker.bootstrapServers(), topics.agentEvents(), 100_000,
                        Duration.ofSeconds(1)).stream()
                .map(ConsumerRecord::value)
                .map(v -> codec.decode(v).payload())
                .filter(m -> m instanceof AgentHeartbeat h && h.server().equals(server) && h.at().isAfter(after))
                .map(AgentHeartbeat.class::cast)
                .toList();
    }
}
