package io.zsentinel.deploy.agent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An operator's command the agent runs at a moment of a failover (e.g. {@code demote}: stop serving NFS, drop the
 * VIP), as an argument list — never through a shell — with a timeout. In agent.yaml:
 * {@code hooks: { demote: { command: ["/etc/zsentinel/unserve.sh"], timeoutSeconds: 30 } }}.
 */
public record Hook(List<String> command, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public Hook {
        Objects.requireNonNull(command, "command");
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("a hook's command is a non-empty list: the program, then its arguments");
        }
        command = List.copyOf(command);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero() || timeout.toSeconds() > 3600) {
            throw new IllegalArgumentException("a hook's timeoutSeconds is between 1 and 3600, not " + timeout.toSeconds());
        }
    }

    @JsonCreator
    static Hook read(@JsonProperty("command") List<String> command, @JsonProperty("timeoutSeconds") Integer timeoutSeconds) {
        return new Hook(command, timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds));
    }

    /** {@code hooks:} in agent.yaml; every hook optional. */
    public record Hooks(Hook demote) {
        public static final Hooks NONE = new Hooks(null);
    }
}
