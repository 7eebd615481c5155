package io.zsentinel.deploy.lab;

import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.ProcessCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab's faults on a real lab pool (the lab's own file-backed pool code) and a real agent process, through
 * the lab control as {@code zsentinel lab fault|heal} sends them: a crash kills the agent and exports the pool,
 * heal imports it and starts the agent; a freeze stops the agent and leaves the pool; one fault at a time.
 */
@ResourceLock("lab") // the lab's pool names and network: one lab class at a time
class LabFaultsIT {
    private static final Duration WITHIN = Duration.ofSeconds(120);
    @TempDir
    Path dir;
    private LabPools pools;
    private PoolName pool;
    private AgentProcess agent;

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
        if (pools != null && pool != null) {
            if (!pools.imported(pool)) {
                try {
                    pools.ensure(pool, false);
                } catch (Exception e) {
                    // destroyed below only if imported
                }
            }
            pools.destroy(pool);
        }
    }

    @Test
    void crashAndFreezeAreRealAndHealUndoesThem() throws Exception {
        pools = new LabPools(dir, new ProcessCommandRunner());
        pool = new PoolName("zlabfault" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT));
        pools.ensure(pool, false);
        Topics topics = KafkaTestBroker.freshTopics("lab-faults", 1);
        String cell = topics.prefix().substring(0, topics.prefix().length() - 1);
        Path config = Lab.writeAgentConfig(dir, pool.value(), KafkaTestBroker.bootstrapServers());
        // the lab's agent.yaml, pointed at this test's topics
        Files.writeString(config, Files.readString(config).replace("\" }", "\", cell: \"" + cell + "\" }"));
        agent = AgentProcess.start(new ServerId(pool.value()), config, dir.resolve("logs").resolve("agent.log"));
        LabFaults faults = new LabFaults(server -> {
            if (!server.equals(pool.value())) {
                throw new LabException("no lab server " + server);
            }
            return agent;
        }, pools, null, server -> Lab.downMarker(dir, server));
        Path down = Lab.downMarker(dir, pool.value());

        try (LabLock lock = LabLock.acquire(dir); LabControl control = LabControl.serve(dir, faults::handle)) {
            String crashed = LabControl.request(dir, List.of("fault", pool.value(), "crash"), WITHIN);
            assertTrue(crashed.contains("crashed"), crashed);
            assertFalse(agent.alive(), "a crashed server's agent is dead");
            assertFalse(pools.imported(pool), "a crashed server's pool is exported");
            assertTrue(Files.exists(down), "a crashed server's address answers nothing");

            LabException twice = assertThrows(LabException.class,
                    () -> LabControl.request(dir, List.of("fault", pool.value(), "freeze"), WITHIN));
            assertTrue(twice.getMessage().contains("already has a crash fault"), twice.getMessage());

            LabControl.request(dir, List.of("heal", pool.value()), WITHIN);
            assertTrue(pools.imported(pool), "heal imports the pool again");
            assertTrue(agent.alive() && !agent.frozen(), "heal starts the agent again");
            assertFalse(Files.exists(down), "a healed server answers again");

            LabControl.request(dir, List.of("fault", pool.value(), "freeze"), WITHIN);
            assertTrue(agent.frozen(), "a frozen agent is stopped, not gone");
            assertTrue(pools.imported(pool), "a frozen server keeps its pool");
            assertEquals(pool.value() + " healed (freeze): its agent runs again",
                    LabControl.request(dir, List.of("heal", pool.value()), WITHIN));
            assertTrue(agent.alive() && !agent.frozen());

            // the fence hook's request: a frozen server powered off, recorded as a crash that heal undoes
            LabControl.request(dir, List.of("fault", pool.value(), "freeze"), WITHIN);
            String fenced = LabControl.request(dir, List.of("fence", pool.value()), WITHIN);
            assertEquals(pool.value() + " is off: its agent killed (SIGKILL), its pool exported", fenced);
            assertFalse(agent.alive(), "a fenced server's agent is dead, frozen or not");
            assertFalse(pools.imported(pool), "a fenced server's pool is exported");
            assertTrue(Files.exists(down));
            assertEquals(pool.value() + " is off: its agent was not running, its pool exported",
                    LabControl.request(dir, List.of("fence", pool.value()), WITHIN), "fencing again confirms it again");
            assertEquals(pool.value() + " healed (crash): its agent runs again",
                    LabControl.request(dir, List.of("heal", pool.value()), WITHIN));
            assertTrue(pools.imported(pool) && agent.alive() && !agent.frozen() && !Files.exists(down));

            LabControl.request(dir, List.of("fault", pool.value(), "pool"), WITHIN);
            assertTrue(agent.alive() && !agent.frozen(), "a pool fault leaves the agent running");
            assertFalse(pools.imported(pool), "a failed pool is gone from the machine");
            assertEquals(pool.value() + " healed (pool): its pool is imported again",
                    LabControl.request(dir, List.of("heal", pool.value()), WITHIN));
            assertTrue(pools.imported(pool));

            LabException unknown = assertThrows(LabException.class,
                    () -> LabControl.request(dir, List.of("fault", pool.value(), "meteor"), WITHIN));
            assertTrue(unknown.getMessage().contains("unknown fault kind \"meteor\""), unknown.getMessage());
        }
    }

    /**
     * A process with its working directory in the pool (a shell left there) keeps zfs-fuse calling it busy after
     * the forced export detached its mounts: the crash still counts (the agent is dead), the answer names the
     * holder, and heal mounts the pool again and starts the agent. A holder that lets go within the retries is
     * waited out.
     */
    @Test
    void aCrashWhosePoolIsHeldIsRecordedAndHealed() throws Exception {
        pools = new LabPools(dir, new ProcessCommandRunner());
        pool = new PoolName("zlabheld" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT));
        pools.ensure(pool, true);
        Path vm1 = pools.mountpoint(pool).resolve("vm1");
        Topics topics = KafkaTestBroker.freshTopics("lab-faults", 1);
        String cell = topics.prefix().substring(0, topics.prefix().length() - 1);
        Path config = Lab.writeAgentConfig(dir, pool.value(), KafkaTestBroker.bootstrapServers());
        Files.writeString(config, Files.readString(config).replace("\" }", "\", cell: \"" + cell + "\" }"));
        agent = AgentProcess.start(new ServerId(pool.value()), config, dir.resolve("logs").resolve("agent.log"));
        LabFaults faults = new LabFaults(server -> agent, pools, null, server -> Lab.downMarker(dir, server));

        Process briefly = new ProcessBuilder("sleep", "3").directory(vm1.toFile()).start();
        assertTrue(faults.fault(pool.value(), LabFaults.Kind.CRASH).contains("crashed"));
        assertFalse(pools.imported(pool), "a holder that lets go is waited out");
        briefly.waitFor();
        faults.heal(pool.value());
        assertTrue(pools.imported(pool) && agent.alive());

        Process shell = new ProcessBuilder("sleep", "600").directory(vm1.toFile()).start();
        try {
            LabException held = assertThrows(LabException.class, () -> faults.fault(pool.value(), LabFaults.Kind.CRASH));
            assertTrue(held.getMessage().contains("still imported") && held.getMessage().contains(shell.pid() + " sleep"),
                    held.getMessage());
            assertFalse(agent.alive(), "the agent is dead all the same");
        } finally {
            shell.destroyForcibly().waitFor();
        }
        assertTrue(faults.heal(pool.value()).contains("healed (crash)"), "the crash was recorded");
        assertTrue(agent.alive());
        assertTrue(Files.isDirectory(vm1) && Files.exists(pools.mountpoint(pool)), "its datasets are mounted again");
        Files.writeString(vm1.resolve("probe"), "written after heal");
    }
}
