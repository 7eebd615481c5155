package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.agentcommands.DemoteDataset;
import io.zsentinel.core.messages.agentcommands.PromoteDataset;
import io.zsentinel.core.messages.agentcommands.RejoinDataset;
import io.zsentinel.core.messages.agentcommands.ReleaseRescue;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.CommandCompleted;
import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.RescueNames;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.DatasetRole;
import io.zsentinel.core.zfs.SnapshotEntry;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rejoin on real zfs-fuse: the former primary wrote after the snapshot the new primary last received (a snapshot
 * and writes after it); the rejoin keeps both in the rescue dataset, the dataset is back at the common snapshot,
 * read-only, and takes an incremental stream from the new primary; a repeat changes nothing; the release destroys the
 * rescue and nothing else. Without divergence (the rescue not asked for), a plain rollback.
 */
class RejoinZfsIT {
    private static final ServerId OLD = new ServerId("old");
    private static final String SERVICE = "vm-storage";
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
    void divergentStateIsKeptAsideAndTheDatasetReceivesIncrementallyFromTheCommonSnapshot() throws Exception {
        pools = ZfsTestPools.open(dir, "zrejoin");
        PoolName a = pools.createPool("a", 128L << 20);
        PoolName b = pools.createPool("b", 128L << 20);
        ZfsDriver zfs = ZfsDriver.detect(pools.runner(), a);
        DatasetName vm1 = DatasetName.of(a.value()).child("vm1");
        DatasetName copy = DatasetName.of(b.value()).child("vm1");
        zfs.createDataset(vm1);
        Path files = zfs.mountpoint(vm1).orElseThrow();
        Files.writeString(files.resolve("replicated"), "in s1");
        SnapshotName s1 = vm1.snapshot("s1");
        zfs.createSnapshot(s1);
        pipe(List.of("zfs", "send", s1.full()), List.of("zfs", "receive", copy.value()));
        Files.writeString(files.resolve("after-s1"), "in s2 only");
        zfs.createSnapshot(vm1.snapshot("s2"));
        Files.writeString(files.resolve("unsnapshotted"), "written after the newest snapshot");
        CommandExecutor agent = new CommandExecutor(OLD, zfs);
        assertCompleted(agent.execute(new DemoteDataset(UUID.randomUUID(), OLD, 1, vm1, SERVICE, 2)).orElseThrow());
        // the new primary serves and takes a snapshot the old one never had
        zfs.promote(copy, 2);
        Files.writeString(zfs.mountpoint(copy).orElseThrow().resolve("new-primary"), "after the failover");
        zfs.createSnapshot(copy.snapshot("s3"));

        Guid common = zfs.snapshotGuid(s1);
        DatasetName rescue = RescueNames.rescueOf(vm1, Instant.parse("2026-12-02T10:00:00Z"));
        RejoinDataset rejoin = new RejoinDataset(UUID.randomUUID(), OLD, 1, vm1, SERVICE, 2, s1, common, rescue);
        CommandCompleted done = assertCompleted(agent.execute(rejoin).orElseThrow());
        assertTrue(done.detail().contains("kept what"), done.detail());

        assertEquals(List.of("s1"), own(zfs, vm1), "back at the common snapshot");
        assertEquals(common, zfs.snapshotGuid(s1));
        assertEquals(new DatasetRole(2, false), zfs.role(vm1));
        assertFalse(Files.exists(files.resolve("after-s1")));
        assertThrows(IOException.class, () -> Files.writeString(files.resolve("refused"), "x"), "read-only");
        assertEquals(List.of("s2", RescueNames.snapshotOf(rescue)), own(zfs, rescue), "every divergent snapshot kept");
        Path kept = zfs.mountpoint(rescue).orElseThrow();
        assertEquals("in s2 only", Files.readString(kept.resolve("after-s1")));
        assertEquals("written after the newest snapshot", Files.readString(kept.resolve("unsnapshotted")));
        assertEquals(vm1.value(), zfs.property(rescue, RescueNames.RESCUE_OF).orElseThrow());

        // the incremental from the common snapshot is accepted (a full stream would be refused: the dataset exists)
        pipe(List.of("zfs", "send", "-i", "s1", copy.snapshot("s3").full()), List.of("zfs", "receive", vm1.value()));
        assertEquals(List.of("s1", "s3"), own(zfs, vm1));
        assertEquals("after the failover", Files.readString(files.resolve("new-primary")));

        // a redelivered order (a new agent process: no remembered outcome) finds it done and changes nothing
        CommandCompleted again = assertCompleted(new CommandExecutor(OLD, zfs).execute(rejoin).orElseThrow());
        assertTrue(again.detail().contains("kept what"), again.detail());
        assertEquals(List.of("s1", "s3"), own(zfs, vm1));

        // the common snapshot is the rescue's origin: zfs itself refuses to destroy it while the rescue is kept
        assertThrows(RuntimeException.class, () -> zfs.destroySnapshot(s1));
        CommandRejected wrong = assertInstanceOf(CommandRejected.class, agent.execute(new ReleaseRescue(
                UUID.randomUUID(), OLD, 1, rescue, DatasetName.of(a.value()).child("other"), SERVICE, 2)).orElseThrow());
        assertTrue(wrong.reason().contains("is not the rescue of"), wrong.reason());
        assertCompleted(agent.execute(new ReleaseRescue(UUID.randomUUID(), OLD, 1, rescue, vm1, SERVICE, 2)).orElseThrow());
        assertFalse(zfs.datasetExists(rescue));
        assertEquals(List.of("s1", "s3"), own(zfs, vm1), "the release leaves the dataset as it is");
    }

    @Test
    void withoutDivergenceItIsAPlainRollbackAndNeverAServingPrimaryNorAParentMovedAside() throws Exception {
        pools = ZfsTestPools.open(dir, "zrejoin0");
        PoolName a = pools.createPool("a", 128L << 20);
        ZfsDriver zfs = ZfsDriver.detect(pools.runner(), a);
        DatasetName vm1 = DatasetName.of(a.value()).child("vm1");
        zfs.createDataset(vm1);
        DatasetName child = vm1.child("disk0");
        zfs.createDataset(child);
        SnapshotName s1 = vm1.snapshot("s1");
        zfs.createSnapshot(s1);
        CommandExecutor agent = new CommandExecutor(OLD, zfs);
        assertCompleted(agent.execute(new PromoteDataset(UUID.randomUUID(), OLD, 1, vm1, SERVICE, 3, null))
                .orElseThrow());
        Guid guid = zfs.snapshotGuid(s1);
        CommandRejected serving = assertInstanceOf(CommandRejected.class, agent.execute(new RejoinDataset(
                UUID.randomUUID(), OLD, 1, vm1, SERVICE, 3, s1, guid, null)).orElseThrow());
        assertTrue(serving.reason().contains("only a former primary"), serving.reason());

        CommandCompleted done = assertCompleted(agent.execute(new RejoinDataset(UUID.randomUUID(), OLD, 1, vm1,
                SERVICE, 4, s1, guid, null)).orElseThrow());
        assertTrue(done.detail().contains("nothing newer"), done.detail());
        assertEquals(new DatasetRole(4, false), zfs.role(vm1));
        assertFalse(zfs.datasetExists(DatasetName.of(a.value()).child(RescueNames.PARENT)), "no rescue made");

        DatasetName rescue = RescueNames.rescueOf(vm1, Instant.parse("2026-12-02T10:00:00Z"));
        CommandRejected parent = assertInstanceOf(CommandRejected.class, agent.execute(new RejoinDataset(
                UUID.randomUUID(), OLD, 1, vm1, SERVICE, 4, s1, guid, rescue)).orElseThrow());
        assertTrue(parent.reason().contains("has child datasets"), parent.reason());
        assertTrue(zfs.datasetExists(child) && !zfs.datasetExists(rescue), "nothing moved");

        zfs.createSnapshot(vm1.snapshot("s2"));
        CommandRejected newer = assertInstanceOf(CommandRejected.class, agent.execute(new RejoinDataset(
                UUID.randomUUID(), OLD, 1, vm1, SERVICE, 4, s1, guid, null)).orElseThrow());
        assertTrue(newer.reason().contains("no rescue was named"), newer.reason());
        assertEquals(List.of("s1", "s2"), own(zfs, vm1), "nothing destroyed without a rescue");
    }

    private static List<String> own(ZfsDriver zfs, DatasetName dataset) {
        return zfs.listSnapshots(dataset).stream().filter(s -> s.name().dataset().equals(dataset))
                .map(SnapshotEntry::name).map(SnapshotName::shortName).toList();
    }

    private static void pipe(List<String> send, List<String> receive) throws Exception {
        List<Process> processes = ProcessBuilder.startPipeline(List.of(
                new ProcessBuilder(send).redirectError(ProcessBuilder.Redirect.DISCARD),
                new ProcessBuilder(receive).redirectErrorStream(true)));
        Process last = processes.get(1);
        String out = new String(last.getInputStream().readAllBytes());
        assertEquals(0, last.waitFor(), "receive: " + out);
        assertEquals(0, processes.get(0).waitFor(), "send");
    }

    private static CommandCompleted assertCompleted(AgentFact fact) {
        return assertInstanceOf(CommandCompleted.class, fact, fact.toString());
    }
}
