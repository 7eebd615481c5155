package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.util.Objects;
import java.util.UUID;

/**
 * The replication link {@code link} (the controller's name) left the configuration: destroy its cursor
 * bookmarks on the source {@code dataset} (OpenZFS; nothing to do elsewhere). Its hold is released by
 * the dataset's own ReleaseHold.
 */
public record ForgetLink(UUID commandId, ServerId server, long epoch, DatasetName dataset, String link)
        implements AgentCommand {
    public ForgetLink {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        if (link == null || link.isBlank()) {
            throw new IllegalArgumentException("a link name is required");
        }
    }
}
