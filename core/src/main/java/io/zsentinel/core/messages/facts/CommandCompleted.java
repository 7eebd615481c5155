package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.ServerId;

import java.util.Objects;
import java.util.UUID;

/** The agent carried out a command that has no fact of its own (rollback, restore, hold); {@code detail} says what it did. */
public record CommandCompleted(ServerId server, UUID commandId, String commandType, String detail) implements AgentFact {
    public CommandCompleted {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(commandType, "commandType");
        detail = detail == null ? "" : detail;
    }
}
