package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.SnapshotName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** send/receive argument lists and the classification of what a refused receive prints. */
class TransferSpecsTest {
    private static final SnapshotName S1 = SnapshotName.parse("tank/vm 1@s1");
    private static final SnapshotName S3 = SnapshotName.parse("tank/vm 1@s3");
    private static final DatasetName TARGET = DatasetName.of("backup/vm 1");
    private final ZfsDriver fuse = new ZfsDriver(new ProcessCommandRunner(), ZfsFeatures.ZFS_FUSE);
    private final ZfsDriver openzfs = new ZfsDriver(new ProcessCommandRunner(),
            ZfsFeatures.OPENZFS_2_2);

    @Test
    void sendArgvForFullIncrementalIntermediatesAndProperties() {
        assertEquals(List.of("zfs", "send", "tank/vm 1@s3"), SendSpec.full(S3).argv());
        assertEquals(List.of("zfs", "send", "-i", "tank/vm 1@s1", "tank/vm 1@s3"), SendSpec.incremental(S1, S3).argv());
        assertEquals(List.of("zfs", "send", "-p", "-I", "tank/vm 1@s1", "tank/vm 1@s3"),
                SendSpec.withIntermediates(S1, S3).withProperties().argv());
        assertThrows(IllegalArgumentException.class, () -> SendSpec.incremental(SnapshotName.parse("other@s1"), S3));
    }

    @Test
    void resumeNeedsResumableStreams() {
        SendSpec resume = SendSpec.resume("1-abc-def", S3);
        assertEquals(List.of("zfs", "send", "-t", "1-abc-def"), openzfs.sendCommand(resume));
        ZfsException e = assertThrows(ZfsException.class, () -> fuse.sendCommand(resume));
        assertEquals(ZfsErrorKind.UNSUPPORTED, e.kind());
        assertThrows(IllegalArgumentException.class, () -> SendSpec.resume("x; rm -rf /", S3));
    }

    @Test
    void receiveIsUnmountedResumableWhereSupportedAndNeverForcedByDefault() {
        assertEquals(List.of("zfs", "receive", "-u", "backup/vm 1"), fuse.receiveCommand(ReceiveSpec.of(TARGET)));
        assertEquals(List.of("zfs", "receive", "-u", "-s", "backup/vm 1"), openzfs.receiveCommand(ReceiveSpec.of(TARGET)));
        assertFalse(ReceiveSpec.of(TARGET).argv(ZfsFeatures.OPENZFS_2_2).contains("-F"));
        assertEquals(List.of("zfs", "receive", "-u", "-F", "backup/vm 1"),
                ReceiveSpec.of(TARGET).operatorOrderedForceRollback().argv(ZfsFeatures.ZFS_FUSE));
    }

    @Test
    void aReplicaIsReceivedReadOnlyWhereZfsTakesReceiveOptionsElseItIsSetAfterwards() {
        ReceiveSpec replica = ReceiveSpec.of(TARGET).asReplicaOf("primary:tank/vm 1");
        assertEquals(List.of("zfs", "receive", "-u", "-s", "-o", "readonly=on", "-o", "zsentinel:replica=primary:tank/vm 1",
                "backup/vm 1"), openzfs.receiveCommand(replica));
        assertEquals(List.of("zfs", "receive", "-u", "backup/vm 1"), fuse.receiveCommand(replica),
                "zfs-fuse refuses -o (\"invalid option 'o'\"): the agent sets the properties after the receive");
        assertEquals(List.of("zfs", "receive", "-u", "-s", "-F", "-o", "readonly=on", "-o",
                "zsentinel:replica=primary:tank/vm 1", "backup/vm 1"), openzfs.receiveCommand(
                replica.operatorOrderedForceRollback()), "a resolved replica stays read-only");
        assertThrows(IllegalArgumentException.class, () -> ReceiveSpec.of(TARGET).asReplicaOf("primary:x\n-o readonly=off"));
        assertThrows(IllegalArgumentException.class, () -> ReceiveSpec.of(TARGET).asReplicaOf(" "));
    }

    @Test
    void refusedReceivesAreDivergedAndNotRetriable() {
        // as zfs-fuse printed them here
        for (String stderr : List.of(
                "cannot receive incremental stream: destination zxfqb/dst has been modified\nsince most recent snapshot\n",
                "cannot receive incremental stream: most recent snapshot of zxfqb/dst does not\nmatch incremental source\n",
                "cannot receive new filesystem stream: destination 'zxfqb/dst' exists\nmust specify -F to overwrite it\n")) {
            ZfsErrorKind kind = ZfsErrorKind.classify(stderr.replace("\n", " "));
            assertEquals(ZfsErrorKind.DIVERGED, kind, stderr);
            assertFalse(kind.retriableTransfer());
        }
        assertEquals(ZfsErrorKind.DIVERGED, ZfsErrorKind.classify(
                "cannot receive new filesystem stream: destination 'zxfqb/dst' exists\nmust specify -F to overwrite it\n"));
    }

    @Test
    void onlyTheTargetsOwnDataMakesATransferFailureFinal() {
        ZfsErrorKind missing = ZfsErrorKind.classify("cannot open 'nopool/dst': dataset does not exist\n"
                + "cannot receive new filesystem stream: dataset does not exist\n");
        assertEquals(ZfsErrorKind.DATASET_MISSING, missing);
        assertTrue(missing.retriableTransfer(), "a pool exported or a parent missing: fixed without discarding data");
        ZfsErrorKind full = ZfsErrorKind.classify("cannot receive incremental stream: out of space\n");
        assertEquals(ZfsErrorKind.NO_SPACE, full);
        assertTrue(full.retriableTransfer(), "a full target pool fails (and retries) rather than diverges");
        assertFalse(ZfsErrorKind.ALREADY_EXISTS.retriableTransfer());
        assertEquals(ZfsErrorKind.DATASET_MISSING, ZfsErrorKind.classify("cannot receive: parent 'x/y' does not exist"));
        for (String stderr : List.of("cannot receive new filesystem stream: invalid backup stream\n",
                "warning: cannot send 'a@s4': Broken pipe\n",
                "ssh: connect to host 10.0.0.9 port 22: Connection refused\n", "")) {
            assertTrue(ZfsErrorKind.classify(stderr).retriableTransfer(), stderr);
        }
    }
}
