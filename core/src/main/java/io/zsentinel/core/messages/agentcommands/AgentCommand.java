package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.messages.Message;
import io.zsentinel.core.values.ServerId;

import java.util.UUID;

/**
 * An order for one agent; topic {@code zsentinel.agent-commands}, key = server. {@code epoch} is the
 * issuing controller's epoch: an agent refuses commands from an epoch older than one it has seen.
 */
public interface AgentCommand extends Message {
    UUID commandId();

    ServerId server();

    long epoch();
}
