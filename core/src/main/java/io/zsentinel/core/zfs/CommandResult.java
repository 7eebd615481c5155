package io.zsentinel.core.zfs;

import java.time.Duration;
import java.util.List;

/** What one command did: exit code (-1 when it timed out and was killed), stdout, stderr. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr,
                            boolean timedOut, Duration elapsed) {

    public CommandResult {
        command = List.copyOf(command);
    }

    /**
     * What the command said about its failure: stderr, or stdout when stderr is empty (zfs-fuse
     * prints its "pyzfs.py not found" internal error on stdout).
     */
    public String errorText() {
        return stderr.isBlank() ? stdout : stderr;
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }
}
