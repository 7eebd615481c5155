package io.zsentinel.core.values;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A hook (fence, promote, demote: a service's in controller.yaml, an agent's own in agent.yaml): a program and its
 * arguments, run without a shell, given what happens and to what (service, datasets, old and new primary,
 * generation, reason) as {@code ZSENTINEL_*} environment variables; killed after {@code timeout}.
 */
public record Hook(List<String> command, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** A hook may not outlast the failover's window (5 min), or a stuck one would abort every failover. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    public Hook {
        Objects.requireNonNull(command, "command");
        if (command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) {
            throw new IllegalArgumentException("a hook needs a command: the program and its arguments as a list, such as"
                    + " [\"/etc/zsentinel/fence.sh\", \"--hard\"] (no shell string)");
        }
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg == null || arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("hook command argument " + (i + 1) + " is " + (arg == null ? "empty" : "not text")
                        + ": give each argument as a string");
            }
        }
        command = List.copyOf(command);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("hook timeout must be more than 0 and at most " + MAX_TIMEOUT.toMinutes()
                    + " minutes (the failover's window), not " + timeout);
        }
    }

    public String program() {
        return command.get(0);
    }
}
