package io.zsentinel.deploy.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --name value} and {@code --flag} options, then positional arguments: read every option
 * first, then {@link #positionals}, since only then is it known which words were option values.
 * Anything not asked for is an error, not ignored.
 */
final class Options {
    private final List<String> args;
    private final Set<Integer> used = new HashSet<>();
    private boolean positionalsTaken;

    Options(String[] args) {
        this.args = List.of(args);
    }

    /** {@code --help} or {@code -h} anywhere: the command answers with its usage and does nothing else. */
    boolean help() {
        return args.contains("--help") || args.contains("-h");
    }

    boolean flag(String name) {
        requireOptionsFirst(name);
        int i = args.indexOf(name);
        if (i < 0) {
            return false;
        }
        used.add(i);
        return true;
    }

    String value(String name, String fallback) {
        requireOptionsFirst(name);
        int i = args.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new UsageException(name + " needs a value");
        }
        used.add(i);
        used.add(i + 1);
        return args.get(i + 1);
    }

    String required(String name) {
        String value = value(name, null);
        if (value == null) {
            throw new UsageException(name + " is required");
        }
        return value;
    }

    int intValue(String name, int fallback) {
        String value = value(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number, not \"" + value + "\"");
        }
    }

    /**
     * The words left once every option was read, in order, between {@code min} and {@code max} of
     * them; an option nobody asked for is refused here, so it is not mistaken for a positional.
     */
    List<String> positionals(int min, int max, String usage) {
        positionalsTaken = true;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (used.contains(i)) {
                continue;
            }
            if (args.get(i).startsWith("--")) {
                throw new UsageException("unknown option " + args.get(i) + "\nusage: " + usage);
            }
            used.add(i);
            words.add(args.get(i));
        }
        if (words.size() < min || words.size() > max) {
            throw new UsageException((words.size() < min ? "missing arguments" : "too many arguments " + words)
                    + "\nusage: " + usage);
        }
        return words;
    }

    private void requireOptionsFirst(String name) {
        if (positionalsTaken) {
            throw new IllegalStateException("option " + name + " read after the positional arguments");
        }
    }

    void requireAllUsed() {
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (!used.contains(i)) {
                unknown.add(args.get(i));
            }
        }
        if (!unknown.isEmpty()) {
            throw new UsageException("unknown arguments " + unknown);
        }
    }
}
