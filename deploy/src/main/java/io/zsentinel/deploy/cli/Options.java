package io.zsentinel.deploy.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code --name value} and {@code --flag} options; anything not asked for is an error, not ignored. */
final class Options {
    private final List<String> args;
    private final Set<Integer> used = new HashSet<>();

    Options(String[] args) {
        this.args = List.of(args);
    }

    boolean flag(String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return false;
        }
        used.add(i);
        return true;
    }

    String value(String name, String fallback) {
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
