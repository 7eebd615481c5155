package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.util.Objects;
import java.util.UUID;

/**
 * The agent refused or failed a command; {@code reason} is written for the operator; {@code dataset}
 * is the dataset the command was about, when it was about one;
 * {@code service} the service a promotion or demotion was for (null for other commands).
 */
public record CommandRejected(ServerId server, UUID commandId, String commandType, String reason, DatasetName dataset,
                              String service) implements AgentFact {
    public CommandRejected(ServerId server, UUID commandId, String commandType, String reason) {
        this(server, commandId, commandType, reason, null, null);
    }

    public CommandRejected(ServerId server, UUID commandId, String commandType, String reason, DatasetName dataset) {
        this(server, commandId, commandType, reason, dataset, null);
    }

    public CommandRejected {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(reason, "reason");
    }
}
