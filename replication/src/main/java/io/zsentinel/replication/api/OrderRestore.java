package io.zsentinel.replication.api;

import io.zsentinel.core.values.SnapshotName;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/**
 * Copy {@code path} (relative to the dataset root) out of {@code snapshot} into {@code targetDirectory}
 * on the storage server (empty: the agent's restore directory). The live data is not touched.
 */
public record OrderRestore(@TargetAggregateIdentifier DatasetId id, SnapshotName snapshot, String path,
                           String targetDirectory, Operator operator, String reason, Instant at)
        implements OperatorCommand {
    public OrderRestore {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(at, "at");
        reason = OperatorCommand.requireReason(reason);
        path = RestorePaths.checkRelative(path);
        targetDirectory = targetDirectory == null ? "" : targetDirectory;
        if (!targetDirectory.isEmpty() && !targetDirectory.startsWith("/")) {
            throw new IllegalArgumentException("the target directory must be an absolute directory on the storage"
                    + " server, not " + targetDirectory);
        }
        if (!snapshot.dataset().equals(id.dataset())) {
            throw new IllegalArgumentException("snapshot " + snapshot + " is not a snapshot of " + id.dataset());
        }
    }
}
