package io.zsentinel.deploy.transfer;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;
import java.util.UUID;

/** A transfer's {@code zfs send} is running: when its StartTransfer arrived and when the send began. */
public record StreamStarted(UUID transferId, SnapshotName snapshot, ServerId targetServer, Instant orderReceived,
                            Instant sendStarted) {
}
