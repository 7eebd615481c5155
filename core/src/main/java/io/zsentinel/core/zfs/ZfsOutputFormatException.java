package io.zsentinel.core.zfs;

import io.zsentinel.core.values.ShellQuoting;

import java.util.List;
import java.util.Optional;

/**
 * zfs printed something the parsers do not understand: a zfs version zsentinel was not tested with, or output cut
 * short. Never read as an empty or partial listing: a listing that lost a line would report snapshots as gone. The
 * parsers throw it naming the line; {@link ZfsDriver} adds the command and the dataset or pool it was about.
 */
public final class ZfsOutputFormatException extends RuntimeException {
    /** How much of an offending line the message quotes. */
    static final int MAX_QUOTED = 200;

    private final String what;
    private final String line;
    private final String reason;
    private final List<String> command;
    private final String subject;

    public ZfsOutputFormatException(String what, String line, String reason) {
        this(what, line, reason, List.of(), null, null);
    }

    public ZfsOutputFormatException(String what, String line, Throwable cause) {
        this(what, line, cause.getMessage(), List.of(), null, cause);
    }

    private ZfsOutputFormatException(String what, String line, String reason, List<String> command, String subject,
                                     Throwable cause) {
        super(message(what, line, reason, command, subject), cause);
        this.what = what;
        this.line = line == null ? "" : line;
        this.reason = reason;
        this.command = List.copyOf(command);
        this.subject = subject;
    }

    /** The same failure, said of {@code command}'s output about {@code subject} (a dataset, snapshot or pool). */
    public ZfsOutputFormatException of(List<String> command, String subject) {
        return new ZfsOutputFormatException(what, line, reason, command, subject, getCause());
    }

    /** The line that could not be read, as zfs printed it. */
    public String line() {
        return line;
    }

    /** The command whose output it was; empty when the parser was called directly. */
    public List<String> command() {
        return command;
    }

    /** The dataset, snapshot or pool the command was about. */
    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    private static String message(String what, String line, String reason, List<String> command, String subject) {
        String of = command.isEmpty() ? what : "the output of `" + ShellQuoting.commandLine(command) + "`";
        String about = subject == null ? "" : " about '" + subject + "'";
        return "cannot read " + of + about + ": line \"" + quoted(line) + "\": " + reason
                + ". Nothing was read from it; this zfs version prints an unexpected format: "
                + "report it with the output of `zfs version` and of the command";
    }

    /** The line with control characters escaped, cut to {@value #MAX_QUOTED} characters. */
    static String quoted(String line) {
        if (line == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int end = Math.min(line.length(), MAX_QUOTED);
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            switch (c) {
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                default -> {
                    if (c < ' ' || c == 127 || Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (line.length() > MAX_QUOTED) {
            out.append("... (").append(line.length() - MAX_QUOTED).append(" more characters)");
        }
        return out.toString();
    }
}
