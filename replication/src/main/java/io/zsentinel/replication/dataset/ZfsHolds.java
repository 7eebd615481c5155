package io.zsentinel.replication.dataset;

import io.zsentinel.replication.api.CheckpointReleased;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.api.ProtectionReleased;
import io.zsentinel.replication.api.SnapshotProtected;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.retention.SnapshotNaming;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Which of the Dataset's events place or release a ZFS hold, and under which tag: a checkpoint is held in ZFS
 * too (where holds exist), so not even a manual {@code zfs destroy} removes it; a link's base is held under
 * its own tag, so links never release each other's base. The controller's dispatcher sends the holds.
 */
public final class ZfsHolds {
    /** The tag of a checkpoint's hold. */
    public static final String CHECKPOINT = "zsentinel:checkpoint";

    private ZfsHolds() {
    }

    /** The hold tag for a snapshot a checkpoint command took; empty for any other recorded snapshot. */
    public static Optional<String> checkpointHold(SnapshotRecorded e) {
        return e.commandId() != null && e.snapshot().name().shortName().startsWith(SnapshotNaming.CHECKPOINT_PREFIX)
                ? Optional.of(CHECKPOINT) : Optional.empty();
    }

    /** The hold tag to release for a released checkpoint; empty when its snapshot was never taken (no guid). */
    public static Optional<String> checkpointRelease(CheckpointReleased e) {
        return e.guid() != null ? Optional.of(CHECKPOINT) : Optional.empty();
    }

    /** The hold tag for a protected snapshot that is a link's base; empty for any other protection. */
    public static Optional<String> baseHold(SnapshotProtected e) {
        return e.kind() == ProtectionKind.BASE ? Optional.of(baseTag(e.holder())) : Optional.empty();
    }

    /** The hold tag to release for a released protection; empty when the snapshot is not known by name. */
    public static Optional<String> baseRelease(ProtectionReleased e) {
        return e.name() != null ? Optional.of(baseTag(e.holder())) : Optional.empty();
    }

    /** Each holder (link) has its own tag, so links never release each other's base. */
    public static String baseTag(String holder) {
        // A link id ("primary:tank/vm1->offsite:backup/vm1") is too long and too rich for a hold tag:
        // a stable digest of it is unique per link and fits.
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(holder.getBytes(StandardCharsets.UTF_8));
            return "zsentinel:base:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
