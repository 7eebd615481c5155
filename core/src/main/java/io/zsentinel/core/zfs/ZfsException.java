package io.zsentinel.core.zfs;

import io.zsentinel.core.values.ShellQuoting;

import java.util.List;

/**
 * A zfs/zpool command failed. Carries the command line, exit code, stderr and the failure kind
 * (classified once); the message says what failed, on what, why, and what to do next.
 */
public final class ZfsException extends RuntimeException {
    private final List<String> command;
    private final int exitCode;
    private final String stderr;
    private final ZfsErrorKind kind;
    private final String subject;

    public ZfsException(String action, String subject, List<String> command, int exitCode, String stderr,
                        ZfsErrorKind kind) {
        super(message(action, subject, command, exitCode, stderr, kind));
        this.command = List.copyOf(command);
        this.exitCode = exitCode;
        this.stderr = stderr == null ? "" : stderr;
        this.kind = kind;
        this.subject = subject;
    }

    /** Classifies the result's stderr (or its timeout). */
    public static ZfsException of(String action, String subject, CommandResult result) {
        ZfsErrorKind kind = result.timedOut() ? ZfsErrorKind.TIMEOUT : ZfsErrorKind.classify(result.errorText());
        return new ZfsException(action, subject, result.command(), result.exitCode(), result.errorText(), kind);
    }

    /** For operations this host's zfs cannot do at all (checked before running anything). */
    public static ZfsException unsupported(String action, String subject, List<String> command, String why) {
        return new ZfsException(action, subject, command, -1, why, ZfsErrorKind.UNSUPPORTED);
    }

    public List<String> command() {
        return command;
    }

    public int exitCode() {
        return exitCode;
    }

    /** zfs' own error text (stderr, or stdout when zfs printed its error there). */
    public String stderr() {
        return stderr;
    }

    public ZfsErrorKind kind() {
        return kind;
    }

    /** The dataset, snapshot or pool the command was about. */
    public String subject() {
        return subject;
    }

    public boolean retriable() {
        return kind.retriable();
    }

    private static String message(String action, String subject, List<String> command, int exitCode,
                                  String stderr, ZfsErrorKind kind) {
        String why = kind == ZfsErrorKind.TIMEOUT ? "timed out" : firstLine(stderr);
        return "could not " + action + " '" + subject + "': " + why
                + (exitCode >= 0 ? " (exit " + exitCode + ")" : "")
                + ". " + (kind.retriable() ? "Retriable: " : "Not retried: ") + kind.correction()
                + ". Command: " + ShellQuoting.commandLine(command);
    }

    /** zfs follows a real error with pages of usage text; the first non-blank line is the error. */
    private static String firstLine(String stderr) {
        if (stderr == null) {
            return "no error message";
        }
        for (String line : stderr.split("\n")) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return "no error message";
    }
}
