package io.zsentinel.deploy.lab;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a command line reaches a running lab ({@code zsentinel lab fault|heal}): it drops a request file into
 * {@code DIR/control/}, the lab carries it out on a thread of its own, one request at a time, and answers
 * with a file next to it that the command line prints. The lab stays the only owner of its agents' processes
 * and pools; a request to a directory without a running lab is refused at once, and an answer not there in
 * time is reported as such (the request may still be carried out).
 */
public final class LabControl implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LabControl.class);
    static final String DIRECTORY = "control";
    static final Duration POLL = Duration.ofMillis(200);
    private static final String REQUEST = ".request";
    private static final String ANSWER = ".answer";
    private static final String OK = "ok";
    private static final String REFUSED = "refused";

    /** Carries out one request (its words); returns what to tell the operator, or throws {@link LabException}. */
    @FunctionalInterface
    public interface Handler {
        String handle(List<String> words);
    }

    private final Path control;
    private final Handler handler;
    private final ScheduledExecutorService thread;

    private LabControl(Path control, Handler handler) {
        this.control = control;
        this.handler = handler;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lab-control");
            t.setDaemon(true);
            return t;
        });
    }

    /** Serves the requests dropped into {@code labDir/control/} until closed; requests left from before are dropped. */
    public static LabControl serve(Path labDir, Handler handler) throws IOException {
        Path control = labDir.toAbsolutePath().resolve(DIRECTORY);
        Files.createDirectories(control);
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(control)) {
            for (Path p : stale) {
                Files.deleteIfExists(p); // asked of a lab that is gone: nobody waits for them any more
            }
        }
        LabControl served = new LabControl(control, handler);
        served.thread.scheduleWithFixedDelay(served::serveWaiting, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        return served;
    }

    private void serveWaiting() {
        List<Path> requests = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(control, "*" + REQUEST)) {
            files.forEach(requests::add);
        } catch (IOException e) {
            log.warn("lab control: cannot list {}: {}", control, e.toString());
            return;
        }
        requests.sort(null);
        for (Path request : requests) {
            answer(request);
        }
    }

    private void answer(Path request) {
        String name = request.getFileName().toString();
        Path answer = control.resolve(name.substring(0, name.length() - REQUEST.length()) + ANSWER);
        String reply;
        try {
            List<String> words = List.of(Files.readString(request, StandardCharsets.UTF_8).strip().split("\\s+"));
            log.info("lab control: {}", String.join(" ", words));
            reply = OK + "\n" + handler.handle(words);
        } catch (LabException | IllegalArgumentException e) {
            reply = REFUSED + "\n" + e.getMessage();
        } catch (IOException e) {
            reply = REFUSED + "\ncannot read the request " + request + ": " + e.getMessage();
        } catch (RuntimeException e) {
            log.warn("lab control: {} failed", name, e);
            reply = REFUSED + "\n" + e;
        }
        try {
            writeAtomically(answer, reply);
            Files.deleteIfExists(request);
        } catch (IOException e) {
            log.warn("lab control: cannot answer {}: {}", request, e.toString());
        }
    }

    /**
     * Asks the lab running in {@code labDir} to carry out {@code words} and waits up to {@code timeout} for its
     * answer: the lab's message, or a {@link LabException} saying why not (no lab running, refused, no answer).
     */
    public static String request(Path labDir, List<String> words, Duration timeout) {
        Path dir = labDir.toAbsolutePath().normalize();
        if (LabLock.runningPid(dir).isEmpty()) {
            throw new LabException("no lab is running in " + dir + "; start one with: ./zsentinel lab --dir " + dir);
        }
        Path control = dir.resolve(DIRECTORY);
        String id = System.currentTimeMillis() + "-" + UUID.randomUUID();
        Path request = control.resolve(id + REQUEST);
        Path answer = control.resolve(id + ANSWER);
        try {
            Files.createDirectories(control);
            writeAtomically(request, String.join(" ", words) + "\n");
        } catch (IOException e) {
            throw new LabException("cannot write the request to " + control + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> reply = read(answer);
            if (reply.isPresent()) {
                deleteQuietly(answer);
                String[] parts = reply.get().split("\n", 2);
                String message = parts.length > 1 ? parts[1].strip() : "";
                if (!parts[0].equals(OK)) {
                    throw new LabException(message);
                }
                return message;
            }
            LockSupport.parkNanos(POLL.toNanos() / 2);
        }
        deleteQuietly(request);
        throw new LabException("the lab in " + dir + " did not answer \"" + String.join(" ", words) + "\" within "
                + timeout.toSeconds() + " s; it may still carry it out: see its output");
    }

    private static Optional<String> read(Path answer) {
        try {
            return Optional.of(Files.readString(answer, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new LabException("cannot read the lab's answer " + answer + ": " + e.getMessage(), e);
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, text, StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
