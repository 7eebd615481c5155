package io.zsentinel.deploy.agent;

import io.zsentinel.core.hooks.HookRunner;
import io.zsentinel.core.messages.agentcommands.DemoteDataset;
import io.zsentinel.core.messages.agentcommands.PromoteDataset;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.CommandCompleted;
import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.messages.facts.PrimaryStoodDown;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.CommandRunner;
import io.zsentinel.core.zfs.DatasetRole;
import io.zsentinel.core.zfs.StoodDown;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promote and demote on a real zfs-fuse dataset, fenced by the generation the dataset itself carries: a demoted
 * copy refuses writes, a promotion rolls back to the snapshot it names and takes writes, a repeat at the same
 * generation leaves what was written since, and an older generation is refused — also by an agent started afresh.
 */
class ServiceRoleZfsIT {
    private static final ServerId SERVER = new ServerId("standby");
    @TempDir
    Path dir;
    private ZfsTestPools pools;

    @AfterEach
    void close() {
        if (pools != null) {
            pools.close();
        }
    }

    @Test
    void promotionAndDemotionAreFencedByTheGenerationTheDatasetCarries() throws Exception {
        pools = ZfsTestPools.open(dir, "zroles");
        PoolName pool = pools.createPool("s", 128L << 20);
        ZfsDriver zfs = ZfsDriver.detect(pools.runner(), pool);
        DatasetName vm1 = DatasetName.of(pool.value()).child("vm1");
        zfs.createDataset(vm1);
        Path files = zfs.mountpoint(vm1).orElseThrow();
        Files.writeString(files.resolve("replicated"), "in the snapshot");
        SnapshotName newest = vm1.snapshot("s1");
        zfs.createSnapshot(newest);
        Files.writeString(files.resolve("after-snapshot"), "not in any snapshot");
        CommandExecutor agent = new CommandExecutor(SERVER, zfs);
        assertEquals(DatasetRole.NONE, zfs.role(vm1));

        assertCompleted(agent.execute(new DemoteDataset(UUID.randomUUID(), SERVER, 1, vm1, "vm-storage", 1)).orElseThrow());
        assertEquals(new DatasetRole(1, false), zfs.role(vm1));
        assertThrows(IOException.class, () -> Files.writeString(files.resolve("refused"), "x"), "a replica takes no writes");

        AgentFact promoted = agent.execute(new PromoteDataset(UUID.randomUUID(), SERVER, 1, vm1, "vm-storage", 2, newest))
                .orElseThrow();
        assertCompleted(promoted);
        assertEquals(new DatasetRole(2, true), zfs.role(vm1));
        assertTrue(Files.exists(files.resolve("replicated")));
        assertFalse(Files.exists(files.resolve("after-snapshot")), "rolled back to its newest snapshot");
        Files.writeString(files.resolve("client-record"), "written by a client after the promotion");

        // the same promotion again (a controller that restarted mid-failover issues it anew): nothing rolled back
        CommandCompleted again = assertCompleted(agent.execute(
                new PromoteDataset(UUID.randomUUID(), SERVER, 1, vm1, "vm-storage", 2, newest)).orElseThrow());
        assertTrue(again.detail().contains("already the primary"), again.detail());
        assertTrue(Files.exists(files.resolve("client-record")), "a repeated promotion keeps what clients wrote");

        // an agent started afresh still knows the generation: it lives on the dataset
        CommandExecutor restarted = new CommandExecutor(SERVER, zfs);
        CommandRejected stalePromote = assertInstanceOf(CommandRejected.class, restarted.execute(
                new PromoteDataset(UUID.randomUUID(), SERVER, 1, vm1, "vm-storage", 1, null)).orElseThrow());
        assertTrue(stalePromote.reason().contains("generation 1 is older than generation 2"), stalePromote.reason());
        CommandRejected staleDemote = assertInstanceOf(CommandRejected.class, restarted.execute(
                new DemoteDataset(UUID.randomUUID(), SERVER, 1, vm1, "vm-storage", 1)).orElseThrow());
        assertEquals(vm1, staleDemote.dataset());
        assertTrue(Files.exists(files.resolve("client-record")));
        Files.writeString(files.resolve("still-primary"), "the stale demotion changed nothing");

        // an agent of another server whose pool the same zfs sees must not touch this one's dataset
        CommandExecutor neighbour = new CommandExecutor(SERVER, zfs).ownPools(List.of(PoolName.of("elsewhere")));
        CommandRejected notOurs = assertInstanceOf(CommandRejected.class, neighbour.execute(
                new DemoteDataset(UUID.randomUUID(), SERVER, 1, vm1, "vm-storage", 9)).orElseThrow());
        assertTrue(notOurs.reason().contains("is not a dataset of"), notOurs.reason());
        assertEquals("vm-storage", notOurs.service(), "the answer names the service it was for");
        assertEquals(new DatasetRole(2, true), zfs.role(vm1), "untouched");

        assertCompleted(restarted.execute(new DemoteDataset(UUID.randomUUID(), SERVER, 1, vm1, "vm-storage", 3))
                .orElseThrow());
        assertEquals(new DatasetRole(3, false), zfs.role(vm1));
        assertThrows(IOException.class, () -> Files.writeString(files.resolve("refused"), "x"));

        // demoted at generation 3 (a lapsed lease, a failover): a promotion at 3 does not make it primary again
        CommandRejected samePromote = assertInstanceOf(CommandRejected.class, restarted.execute(
                new PromoteDataset(UUID.randomUUID(), SERVER, 1, vm1, "vm-storage", 3, null)).orElseThrow());
        assertTrue(samePromote.reason().contains("only a newer generation"), samePromote.reason());
        assertEquals(new DatasetRole(3, false), zfs.role(vm1));
        assertCompleted(restarted.execute(new PromoteDataset(UUID.randomUUID(), SERVER, 1, vm1, "vm-storage", 4, null))
                .orElseThrow());
        assertEquals(new DatasetRole(4, true), zfs.role(vm1));
    }

    /**
     * The lease's self-demotion scans the datasets, then demotes the primaries it found; a demotion the controller
     * ordered between the two (the failover's, at a newer generation, arriving as a frozen agent resumes) must stay:
     * writing back the generation the scan read would leave the dataset a step behind the service, and the
     * controller, told its demotion was carried out, would never order it again.
     */
    @Test
    void aSelfDemotionNeverWritesTheGenerationItScannedOverTheControllersNewerDemotion() throws Exception {
        pools = ZfsTestPools.open(dir, "zroles");
        PoolName pool = pools.createPool("r", 128L << 20);
        ZfsDriver plain = ZfsDriver.detect(pools.runner(), pool);
        DatasetName vm1 = DatasetName.of(pool.value()).child("vm1");
        plain.createDataset(vm1);
        plain.promote(vm1, 1);
        AtomicReference<CommandExecutor> agent = new AtomicReference<>();
        AtomicBoolean raced = new AtomicBoolean();
        CommandRunner racing = new CommandRunner() {
            @Override
            public CommandResult run(List<String> command, Duration timeout) {
                CommandResult result = pools.runner().run(command, timeout);
                boolean readsRole = command.contains(DatasetRole.GENERATION + "," + DatasetRole.ROLE);
                if (readsRole && command.contains(vm1.value()) && raced.compareAndSet(false, true)) {
                    // the scan has just read vm1 as primary at generation 1: the failover's demotion lands now
                    assertCompleted(agent.get().execute(new DemoteDataset(UUID.randomUUID(), SERVER, 1, vm1,
                            "vm-storage", 2)).orElseThrow());
                }
                return result;
            }

            @Override
            public long invocations() {
                return pools.runner().invocations();
            }
        };
        ZfsDriver zfs = new ZfsDriver(racing, plain.features());
        agent.set(new CommandExecutor(SERVER, zfs));
        Instant renewed = Instant.parse("2026-12-01T00:00:00Z");
        Clock lapsed = Clock.fixed(renewed.plusSeconds(60), ZoneOffset.UTC);
        SelfDemotion lease = new SelfDemotion(SERVER, zfs, () -> List.of(pool),
                new PrimaryLease(Duration.ofSeconds(10), renewed), null, new HookRunner(lapsed), agent.get().roles(), lapsed);

        lease.check();

        assertTrue(raced.get(), "the controller's demotion came between the scan and the self-demotion");
        assertEquals(new DatasetRole(2, false), plain.role(vm1), "the newer generation the controller demoted at stays");
        assertEquals(List.of(), lease.demoted(), "nothing was left for the lease to demote");
    }

    /**
     * A primary its lease stood down is read-only at its generation and listed, with the service its promotion
     * recorded, until the controller sets its role again; its agent reports it only while the lease holds, at once
     * and then every minute. A child dataset inherits no role.
     */
    @Test
    void aDatasetStoodDownByItsLeaseIsReportedWithItsGenerationAndServiceUntilTheControllerSetsItsRole() throws Exception {
        pools = ZfsTestPools.open(dir, "zroles");
        PoolName pool = pools.createPool("d", 128L << 20);
        ZfsDriver zfs = ZfsDriver.detect(pools.runner(), pool);
        DatasetName vm1 = DatasetName.of(pool.value()).child("vm1");
        zfs.createDataset(vm1);
        zfs.createDataset(vm1.child("disk0"));
        CommandExecutor agent = new CommandExecutor(SERVER, zfs);
        assertCompleted(agent.execute(new PromoteDataset(UUID.randomUUID(), SERVER, 1, vm1, "vm-storage", 3, null))
                .orElseThrow());
        Path files = zfs.mountpoint(vm1).orElseThrow();

        zfs.standDown(vm1);
        assertEquals(new DatasetRole(3, false), zfs.role(vm1), "a replica at the generation it served");
        assertThrows(IOException.class, () -> Files.writeString(files.resolve("refused"), "x"));
        assertEquals(List.of(new StoodDown(vm1, 3, "vm-storage")), zfs.stoodDown(pool));

        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        java.util.List<io.zsentinel.core.messages.facts.AgentFact> sent = new java.util.ArrayList<>();
        PrimaryLease held = new PrimaryLease(Duration.ofSeconds(10), now);
        StoodDownReports reports = new StoodDownReports(SERVER, zfs, () -> List.of(pool), held, () -> 1, sent::add,
                Clock.fixed(now, ZoneOffset.UTC));
        reports.tick();
        assertEquals(List.of(new PrimaryStoodDown(SERVER, vm1, "vm-storage", 3, now)), sent);
        reports.tick();
        assertEquals(1, sent.size(), "reported again only a minute later");
        StoodDownReports cutOff = new StoodDownReports(SERVER, zfs, () -> List.of(pool), held, () -> 1, sent::add,
                Clock.fixed(now.plusSeconds(30), ZoneOffset.UTC));
        cutOff.tick();
        assertEquals(1, sent.size(), "nothing sent while the lease has run out: it would be lost");

        // the controller resumes it at a new generation: writable again, no longer listed
        assertCompleted(agent.execute(new PromoteDataset(UUID.randomUUID(), SERVER, 1, vm1, "vm-storage", 4, null))
                .orElseThrow());
        assertEquals(new DatasetRole(4, true), zfs.role(vm1));
        Files.writeString(files.resolve("after-resume"), "taken");
        assertEquals(List.of(), zfs.stoodDown(pool));
        // stood down again, then demoted by a failover's order: a replica, no longer listed either
        zfs.standDown(vm1);
        assertCompleted(agent.execute(new DemoteDataset(UUID.randomUUID(), SERVER, 1, vm1, "vm-storage", 5)).orElseThrow());
        assertEquals(List.of(), zfs.stoodDown(pool));
    }

    private static CommandCompleted assertCompleted(AgentFact fact) {
        return assertInstanceOf(CommandCompleted.class, fact, fact.toString());
    }
}
