package io.zsentinel.core.hooks;

import io.zsentinel.core.values.Hook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link Hook} with its environment ({@code ZSENTINEL_*} variables saying what happens and to what), waits
 * at most its timeout (then kills it), and returns its exit status and the first {@value #OUTPUT_LIMIT} bytes of its
 * output for the record.
 */
public final class HookRunner {
    private static final Logger log = LoggerFactory.getLogger(HookRunner.class);
    public static final int OUTPUT_LIMIT = 16 * 1024;
    /** How much of the output a description (a log line, an event's detail) quotes. */
    static final int DESCRIBED_OUTPUT = 1000;

    /** What a hook did: its exit status (-1 when it could not start or was killed), output, time, and why it failed. */
    public record Result(int exitCode, String output, boolean timedOut, Duration took, String error) {
        public boolean succeeded() {
            return exitCode == 0 && !timedOut && error == null;
        }

        public String describe() {
            if (error != null) {
                return "could not run: " + error;
            }
            String shown = output.strip();
            if (shown.length() > DESCRIBED_OUTPUT) {
                shown = shown.substring(0, DESCRIBED_OUTPUT) + "… (" + output.length() + " characters)";
            }
            return (timedOut ? "killed after its timeout" : "exit status " + exitCode) + " in "
                    + took.toMillis() + " ms" + (shown.isEmpty() ? "" : ", output: " + shown);
        }
    }

    private final Clock clock;

    public HookRunner(Clock clock) {
        this.clock = clock;
    }

    public Result run(String name, Hook hook, Map<String, String> environment) {
        Instant start = clock.instant();
        ProcessBuilder builder = new ProcessBuilder(hook.command()).redirectErrorStream(true);
        // the facts are ours alone: a ZSENTINEL_* variable of the controller's or agent's own environment could
        // pass for one of them
        builder.environment().keySet().removeIf(variable -> variable.startsWith("ZSENTINEL_"));
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            Result failed = new Result(-1, "", false, Duration.between(start, clock.instant()), e.getMessage());
            log.warn("{} hook {}: {}", name, hook.command(), failed.describe());
            return failed;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copyBounded(process.getInputStream(), output), "hook-output-" + name);
        reader.setDaemon(true);
        reader.start();
        boolean ended;
        try {
            ended = process.waitFor(hook.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            ended = false;
        }
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8);
        }
        Result result = new Result(ended ? process.exitValue() : -1, text, !ended, Duration.between(start, clock.instant()),
                null);
        if (result.succeeded()) {
            log.info("{} hook {}: {}", name, hook.command(), result.describe());
        } else {
            log.warn("{} hook {}: {}", name, hook.command(), result.describe());
        }
        return result;
    }

    private static void copyBounded(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (out) {
                    int room = OUTPUT_LIMIT - out.size();
                    if (room > 0) {
                        out.write(buffer, 0, Math.min(room, n));
                    }
                }
            }
        } catch (IOException e) {
            // the process ended or was killed: what was read is what there is
        }
    }
}
