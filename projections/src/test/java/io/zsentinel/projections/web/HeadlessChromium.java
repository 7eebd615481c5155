package io.zsentinel.projections.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's Chromium, headless, loading a page on loopback: the DOM its scripts produced, and what it
 * wrote to the console. The flags keep it off this machine's closed network (see prepare-machine.sh).
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 60;
    /** Virtual time: the page's fetches and first refreshes run, with no wall-clock wait. */
    private static final String VIRTUAL_TIME_MS = "5000";

    record Page(String dom, List<String> console) {
    }

    private HeadlessChromium() {
    }

    /**
     * Skips where Chromium is missing on a developer's machine; fails in CI, whose prepare-machine.sh
     * installs it, so the browser test is never skipped there unnoticed.
     */
    static void requireInstalled() {
        boolean installed = Files.isExecutable(BINARY);
        if (!installed && System.getenv("CI") != null) {
            fail(BINARY + " is missing: scripts/prepare-machine.sh installs Debian's chromium");
        }
        assumeTrue(installed, BINARY + " is missing: apt-get install chromium (scripts/prepare-machine.sh does)");
    }

    /** Loads {@code url}; with {@code screenshot} non-null, also saves the page as a PNG there. */
    static Page load(String url, Path screenshot) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("zsentinel-chromium");
        try {
            if (screenshot != null) {
                run(work, List.of("--window-size=1400,1000", "--screenshot=" + screenshot.toAbsolutePath(), url));
            }
            run(work, List.of("--enable-logging=stderr", "--v=0", "--dump-dom", url));
            List<String> console = Files.readAllLines(work.resolve("stderr"), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains("CONSOLE")).toList();
            return new Page(Files.readString(work.resolve("stdout"), StandardCharsets.UTF_8), console);
        } finally {
            deleteTree(work);
        }
    }

    private static void run(Path work, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + work.resolve("profile"),
                "--virtual-time-budget=" + VIRTUAL_TIME_MS));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("TZ", "UTC"); // the page shows local times; the tests expect these
        Process chromium = builder
                .redirectOutput(work.resolve("stdout").toFile())
                .redirectError(work.resolve("stderr").toFile())
                .start();
        if (!chromium.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        if (chromium.exitValue() != 0) {
            fail("chromium exited with " + chromium.exitValue() + ": "
                    + Files.readString(work.resolve("stderr"), StandardCharsets.UTF_8));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
