package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.ServerId;

import java.util.Objects;
import java.util.UUID;

/** The agent refused or failed a command; {@code reason} is written for the operator. */
public record CommandRejected(ServerId server, UUID commandId, String commandType, String reason)
        implements AgentFact {
    public CommandRejected {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(reason, "reason");
    }
}
