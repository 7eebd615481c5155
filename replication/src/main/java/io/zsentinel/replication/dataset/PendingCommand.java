package io.zsentinel.replication.dataset;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;

import java.time.Instant;

/**
 * An agent command this dataset ordered and whose outcome it has not seen yet. {@code guid} is set
 * for commands about an existing snapshot (destroy, hold), null for a snapshot still to be taken.
 */
public record PendingCommand(String type, SnapshotName subject, Guid guid, Instant orderedAt) {
    public static final String TAKE = "TakeSnapshot";
    public static final String DESTROY = "DestroySnapshot";
    public static final String ROLLBACK = "RollbackDataset";
    public static final String RESTORE = "RestoreFromSnapshot";
}
