package io.zsentinel.core.zfs;

import java.time.Duration;
import java.util.List;

/** What one command did: exit code (-1 when it timed out and was killed), stdout, stderr. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr,
                            boolean timedOut, Duration elapsed) {

    public CommandResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }
}
