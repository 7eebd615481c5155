package io.zsentinel.core.zfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs commands as local processes from argument lists. stdout and stderr are drained on their own
 * threads while the process runs, so a large listing can never fill a pipe and deadlock the child.
 */
public final class ProcessCommandRunner implements CommandRunner {
    private static final ExecutorService DRAINERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "zfs-output-drainer");
        t.setDaemon(true);
        return t;
    });

    private final ZfsBinaries binaries;
    private final AtomicLong invocations = new AtomicLong();

    public ProcessCommandRunner() {
        this(ZfsBinaries.defaults());
    }

    public ProcessCommandRunner(ZfsBinaries binaries) {
        this.binaries = binaries;
    }

    @Override
    public long invocations() {
        return invocations.get();
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        invocations.incrementAndGet();
        List<String> argv = new ArrayList<>(command);
        argv.set(0, binaries.resolve(command.get(0)));
        ProcessBuilder builder = new ProcessBuilder(argv);
        // zfs prints sizes, dates and messages per locale; the parsers and the error classifier read C.
        builder.environment().put("LC_ALL", "C");
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new CommandResult(command, 127, "",
                    "command not found: cannot run " + argv.get(0) + ": " + e.getMessage(), false, since(start));
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child may already have exited; it reads no input anyway
        }
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new CommandResult(command, -1, collect(stdout), collect(stderr), true, since(start));
            }
            return new CommandResult(command, process.exitValue(), collect(stdout), collect(stderr), false, since(start));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new CommandResult(command, -1, "", "interrupted while waiting", true, since(start));
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, DRAINERS);
    }

    /** The streams close when the process (and any child holding them) is gone. */
    private static String collect(CompletableFuture<String> output) throws InterruptedException {
        try {
            return output.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return "";
        }
    }
}
