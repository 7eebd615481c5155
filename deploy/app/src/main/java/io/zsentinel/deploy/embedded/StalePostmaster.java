package io.zsentinel.deploy.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An embedded PostgreSQL outlives a JVM killed with SIGKILL and keeps its data directory locked, so
 * the next start would fail. If the directory's {@code postmaster.pid} names a live postgres serving
 * exactly this directory, it is an orphan of ours: ask it for a fast shutdown (SIGINT) and wait.
 */
final class StalePostmaster {
    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);

    private StalePostmaster() {
    }

    static void stopIfOrphaned(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2 || !Path.of(lines.get(1).strip()).normalize().equals(dataDirectory.normalize())) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (process.isEmpty()) {
            return; // a stale file only: PostgreSQL itself ignores it
        }
        log.warn("stopping orphaned embedded PostgreSQL (pid {}) left running on {} by an earlier crash", pid, dataDirectory);
        try {
            new ProcessBuilder(List.of("kill", "-INT", Long.toString(pid))).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (process.get().isAlive() && Instant.now().isBefore(deadline)) {
            try {
                process.get().onExit().get(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // keep waiting until the deadline
            }
        }
    }
}
