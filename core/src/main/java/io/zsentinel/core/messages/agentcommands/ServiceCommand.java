package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.DatasetName;

/** A command about one dataset's part in a service, fenced by the service's generation. */
public interface ServiceCommand extends AgentCommand {
    DatasetName dataset();

    String service();

    long generation();
}
