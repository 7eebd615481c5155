package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.util.Objects;
import java.util.UUID;

/**
 * The agent carried out a command that has no fact of its own (rollback, restore, hold); {@code detail}
 * says what it did; {@code dataset} is the dataset the command was about, when it was about one;
 * {@code service} the service a promotion or demotion was for (null for other commands).
 */
public record CommandCompleted(ServerId server, UUID commandId, String commandType, String detail, DatasetName dataset,
                               String service) implements AgentFact {
    public CommandCompleted(ServerId server, UUID commandId, String commandType, String detail) {
        this(server, commandId, commandType, detail, null, null);
    }

    public CommandCompleted(ServerId server, UUID commandId, String commandType, String detail, DatasetName dataset) {
        this(server, commandId, commandType, detail, dataset, null);
    }

    public CommandCompleted {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(commandType, "commandType");
        detail = detail == null ? "" : detail;
    }
}
