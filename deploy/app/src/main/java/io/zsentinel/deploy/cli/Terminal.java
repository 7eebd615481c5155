package io.zsentinel.deploy.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the CLI meets its operator: what it prints to, who they are (the audit log's default operator), the
 * zone in which they read times, and how it waits between polls (a test makes something happen instead).
 */
record Terminal(PrintStream out, PrintStream err, Supplier<String> operator, Pause pause, ZoneId zone) {

    @FunctionalInterface
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    /** The process's own: System.out and System.err as they are now, $USER@host, TZ. */
    static Terminal standard() {
        return new Terminal(System.out, System.err, Terminal::userAtHost, d -> Thread.sleep(d.toMillis()),
                ZoneId.systemDefault());
    }

    static String userAtHost() {
        String user = Optional.ofNullable(System.getenv("USER")).orElse(System.getProperty("user.name", "unknown"));
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
        return user + "@" + host;
    }
}
