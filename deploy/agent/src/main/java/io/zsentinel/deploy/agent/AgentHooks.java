package io.zsentinel.deploy.agent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.zsentinel.core.values.Hook;

import java.time.Duration;
import java.util.List;

/**
 * {@code hooks:} in agent.yaml, every hook optional: what the agent runs by itself, without the controller — today
 * {@code demote}, when a primary's lease runs out ({@link SelfDemotion}). Example:
 * {@code hooks: { demote: { command: ["/etc/zsentinel/unserve.sh"], timeoutSeconds: 30 } }}.
 */
public record AgentHooks(Hook demote) {
    public static final AgentHooks NONE = new AgentHooks(null);

    @JsonCreator
    static AgentHooks read(@JsonProperty("demote") HookSetting demote) {
        return new AgentHooks(demote == null ? null : demote.hook());
    }

    /** One hook as agent.yaml writes it. */
    record HookSetting(List<String> command, Integer timeoutSeconds) {
        Hook hook() {
            return new Hook(command, timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds));
        }
    }
}
