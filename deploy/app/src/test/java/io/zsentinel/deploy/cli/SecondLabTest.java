package io.zsentinel.deploy.cli;

import io.zsentinel.deploy.lab.LabLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code zsentinel lab} in a directory where a lab runs (here: another process holding the lab's lock, as a
 * running lab does) says so and exits 0 before touching anything; a lab that was killed blocks nothing.
 */
class SecondLabTest {
    private static final String DASHBOARD = "http://127.0.0.1:18123/";

    @TempDir
    Path dir;

    /** A lab's first step, in its own process: takes the lock, records its dashboard, waits to be killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            LabLock lock = LabLock.acquire(Path.of(args[0]));
            lock.running(DASHBOARD);
            System.in.read();
            lock.close();
        }
    }

    @Test
    void aSecondLabSaysWhichLabRunsThereAndExitsCleanly() throws Exception {
        Process holder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("lab.pid"))
                    && Files.readString(dir.resolve("lab.pid")).contains(DASHBOARD));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream original = System.out;
            int exit;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                exit = Main.run(new String[]{"lab", "--dir", dir.toString(), "--port", "0"});
            } finally {
                System.setOut(original);
            }

            assertEquals(0, exit);
            assertEquals(List.of("zsentinel: a lab is already running in " + dir + " (pid " + holder.pid() + ", dashboard "
                    + DASHBOARD + "); use it, or stop it (Ctrl-C where it runs, or kill " + holder.pid()
                    + ") before starting another, or give another directory with --dir"),
                    out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank() && !l.contains("ch.qos.logback")).toList()); // logback starting up
            assertEquals(Set.of("lab.lock", "lab.pid"), names(dir), "the second lab touched nothing");
        } finally {
            holder.destroyForcibly(); // SIGKILL: no clean-up, as when a lab is killed
            holder.waitFor();
        }

        // the files a killed lab leaves behind do not block the next one
        assertEquals(Set.of("lab.lock", "lab.pid"), names(dir));
        try (LabLock next = LabLock.acquire(dir)) {
            assertTrue(Files.readString(dir.resolve("lab.pid")).contains("pid " + ProcessHandle.current().pid()));
            // and it holds the directory in turn (a second try in this JVM is refused without reopening the file)
            LabLock.AlreadyRunning again = assertThrows(LabLock.AlreadyRunning.class, () -> LabLock.acquire(dir));
            assertTrue(again.getMessage().contains("pid " + ProcessHandle.current().pid() + ", still starting"),
                    again.getMessage());
        }
        assertEquals(Set.of("lab.lock"), names(dir), "a lab that stops removes its pid file");
    }

    private static Set<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
