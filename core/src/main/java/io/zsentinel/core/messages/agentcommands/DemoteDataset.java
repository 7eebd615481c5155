package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.util.Objects;
import java.util.UUID;

/**
 * Make this server's copy of {@code dataset} a read-only replica of {@code service} at {@code generation}: it stops
 * taking writes first, then records the generation. Refused when the dataset carries a newer generation; a repeat
 * changes nothing.
 */
public record DemoteDataset(UUID commandId, ServerId server, long epoch, DatasetName dataset, String service,
                            long generation) implements ServiceCommand {
    public DemoteDataset {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        ServiceChecks.checkService(service);
        ServiceChecks.checkGeneration(generation);
    }
}
