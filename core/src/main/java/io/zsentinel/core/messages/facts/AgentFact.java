package io.zsentinel.core.messages.facts;

import io.zsentinel.core.messages.Message;
import io.zsentinel.core.values.ServerId;

/** What an agent observed or did on its server; topic {@code zsentinel.agent-events}, key = server. */
public interface AgentFact extends Message {
    ServerId server();
}
