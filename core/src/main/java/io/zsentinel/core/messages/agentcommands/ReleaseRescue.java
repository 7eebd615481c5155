package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.RescueNames;
import io.zsentinel.core.values.ServerId;

import java.util.Objects;
import java.util.UUID;

/**
 * Destroy {@code dataset}, a rejoin's rescue of {@code rescuedFrom} for {@code service}, with its snapshots, on an
 * operator's order: the agent destroys it only when it carries {@link RescueNames#RESCUE_OF} naming
 * {@code rescuedFrom}. Gone already is success. {@code generation}: the rejoin's (the answer goes to its service).
 */
public record ReleaseRescue(UUID commandId, ServerId server, long epoch, DatasetName dataset, DatasetName rescuedFrom,
                            String service, long generation) implements ServiceCommand {
    public ReleaseRescue {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(rescuedFrom, "rescuedFrom");
        ServiceChecks.checkService(service);
        ServiceChecks.checkGeneration(generation);
        if (dataset == null || !RescueNames.isRescue(dataset) || dataset.value().split("/").length < 3) {
            throw new IllegalArgumentException("only a dataset below <pool>/" + RescueNames.PARENT + " is a rescue, not "
                    + dataset);
        }
    }
}
