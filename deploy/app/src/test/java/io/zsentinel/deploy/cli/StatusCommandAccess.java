package io.zsentinel.deploy.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** {@code zsentinel status} against a running controller, for tests in other packages: what it prints. */
public final class StatusCommandAccess {
    private StatusCommandAccess() {
    }

    public static String print(String baseUrl) throws Exception {
        Printed printed = run(baseUrl);
        if (printed.exit() != 0) {
            throw new AssertionError("status exited " + printed.exit() + ": " + printed.text());
        }
        return printed.text();
    }

    /** What {@code zsentinel status} printed and its exit code. */
    public record Printed(int exit, String text) {
    }

    public static Printed run(String baseUrl) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = StatusCommand.print(baseUrl, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                java.time.ZoneOffset.UTC, false);
        return new Printed(exit, bytes.toString(StandardCharsets.UTF_8));
    }
}
