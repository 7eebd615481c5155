package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.api.CheckpointReleased;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.api.ProtectionReleased;
import io.zsentinel.replication.api.SnapshotProtected;
import io.zsentinel.replication.api.SnapshotRecorded;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Which events hold or release a snapshot in ZFS, under tags that must never change (pools keep them across upgrades). */
class ZfsHoldsTest {
    static final DatasetId VM1 = new DatasetId(ServerId.of("primary"), DatasetName.of("tank/vm1"));
    static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    static final SnapshotName CHECKPOINT = VM1.dataset().snapshot("zsentinel_checkpoint_before-upgrade");
    static final SnapshotName HOURLY = VM1.dataset().snapshot("zsentinel_hourly_2026-11-25_10-00");
    static final String LINK = "primary:tank/vm1->standby:standby/vm1";

    static SnapshotRecorded recorded(SnapshotName name, UUID command) {
        return new SnapshotRecorded(VM1, new SnapshotInfo(name, new Guid(9), 3, AT, 1, 1), command, AT);
    }

    @Test
    void onlyASnapshotACheckpointCommandTookIsHeld() {
        assertEquals(Optional.of("zsentinel:checkpoint"), ZfsHolds.checkpointHold(recorded(CHECKPOINT, UUID.randomUUID())));
        assertEquals(Optional.empty(), ZfsHolds.checkpointHold(recorded(CHECKPOINT, null)), "found by a scan, not taken");
        assertEquals(Optional.empty(), ZfsHolds.checkpointHold(recorded(HOURLY, UUID.randomUUID())), "not a checkpoint");
    }

    @Test
    void aReleasedCheckpointLosesItsHoldOnlyWhenItWasTaken() {
        assertEquals(Optional.of(ZfsHolds.CHECKPOINT), ZfsHolds.checkpointRelease(new CheckpointReleased(VM1, CHECKPOINT, new Guid(9), AT)));
        assertEquals(Optional.empty(), ZfsHolds.checkpointRelease(new CheckpointReleased(VM1, CHECKPOINT, null, AT)));
    }

    @Test
    void aLinksBaseIsHeldAndReleasedUnderItsOwnStableTag() {
        String tag = ZfsHolds.baseTag(LINK);
        assertEquals("zsentinel:base:e37189427ce775e5", tag, "the first 8 bytes of the link's SHA-256, in hex");
        assertEquals(tag, ZfsHolds.baseTag(LINK), "stable");
        assertNotEquals(tag, ZfsHolds.baseTag("primary:tank/vm1->offsite:dr/vm1"), "one tag per link");

        assertEquals(Optional.of(tag), ZfsHolds.baseHold(new SnapshotProtected(VM1, HOURLY, new Guid(42), LINK, ProtectionKind.BASE)));
        assertEquals(Optional.empty(), ZfsHolds.baseHold(new SnapshotProtected(VM1, HOURLY, new Guid(42), "restore",
                ProtectionKind.AWAITING)), "only a base is held in ZFS");
        assertEquals(Optional.of(tag), ZfsHolds.baseRelease(new ProtectionReleased(VM1, HOURLY, new Guid(42), LINK)));
        assertEquals(Optional.empty(), ZfsHolds.baseRelease(new ProtectionReleased(VM1, null, new Guid(42), LINK)),
                "not known by name: nothing to release in ZFS");
    }
}
