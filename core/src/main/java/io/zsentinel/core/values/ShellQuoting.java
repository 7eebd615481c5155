package io.zsentinel.core.values;

import java.util.List;
import java.util.stream.Collectors;

/**
 * ssh joins its remote arguments into one command line for the remote shell; a valid ZFS name may
 * hold a space, so every argument that crosses ssh is single-quoted. Local processes never need this:
 * they get argument lists.
 */
public final class ShellQuoting {
    private ShellQuoting() {
    }

    public static String quote(String argument) {
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    public static String commandLine(List<String> arguments) {
        return arguments.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }
}
