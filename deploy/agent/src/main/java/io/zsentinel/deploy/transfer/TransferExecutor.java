package io.zsentinel.deploy.transfer;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.zsentinel.core.messages.agentcommands.StartTransfer;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.TransferCompleted;
import io.zsentinel.core.messages.facts.TransferFailed;
import io.zsentinel.core.messages.facts.TransferProgressed;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.CommandRunner;
import io.zsentinel.core.zfs.ZfsBinaries;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsErrorKind;
import io.zsentinel.core.zfs.ZfsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the StartTransfer orders of one agent, each on its own thread so that the agent's command thread
 * never waits for a stream. At most one transfer per target dataset; a transferId runs at most once (a
 * repeated order is answered from the running or finished transfer, never with a second stream). Facts
 * go to {@code facts}: TransferProgressed every {@code progressSeconds} while bytes flow (none for a piped
 * transfer whose bytes cannot be read on this host, see {@link SendProgress}), then
 * TransferCompleted (with the guid the target reports) or TransferFailed. The stall timeout and the
 * target's circuit breaker are the link's, as each order carries them ({@link StartTransfer#policy()}).
 */
public final class TransferExecutor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransferExecutor.class);
    private static final int REMEMBERED = 1000;
    private static final Duration TARGET_PROBE_TIMEOUT = Duration.ofSeconds(30);
    /** The start-up lines about the transfer setup this process has said. */
    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    private final ServerId server;
    private final ZfsDriver source;
    private final ZfsBinaries binaries;
    private final Map<ServerId, TransferTarget> targets;
    private final TransferSettings settings;
    private final Consumer<AgentFact> facts;
    private final Clock clock;
    private final TargetBreakers breakers;
    private final Retry retry;
    private final boolean mbufferInstalled = onPath("mbuffer");
    private final boolean pvInstalled = onPath("pv");
    private final SendProgress progress;
    private final CursorBookmarks cursors;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "transfer");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "transfer-progress");
        t.setDaemon(true);
        return t;
    });
    private final Map<UUID, TransferHandle> byId = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, TransferHandle> eldest) {
            return size() > REMEMBERED && eldest.getValue().finished();
        }
    };
    private final Map<String, UUID> runningByTarget = new HashMap<>();
    private final Map<ServerId, ZfsDriver> targetDrivers = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile Consumer<StreamStarted> streamStarts = started -> { };

    public TransferExecutor(ServerId server, ZfsDriver source, ZfsBinaries binaries, Map<ServerId, TransferTarget> targets,
                            TransferSettings settings, Consumer<AgentFact> facts, Clock clock) {
        this(server, source, binaries, targets, settings, facts, clock, SendProgress.detect());
    }

    /** {@code progress}: how a piped transfer's bytes are read (detected once per host by the public constructor). */
    TransferExecutor(ServerId server, ZfsDriver source, ZfsBinaries binaries, Map<ServerId, TransferTarget> targets,
                     TransferSettings settings, Consumer<AgentFact> facts, Clock clock, SendProgress progress) {
        this.progress = progress;
        String setup = TransferRun.describeSetup(settings.pipeMode(), progress, pvInstalled);
        if (ANNOUNCED.add(setup)) { // the agents of one process (the lab's three) share it
            log.info(setup);
            if (settings.pipeMode() == TransferSettings.Pipe.ALWAYS && !progress.counts()) {
                log.warn("pipe: always on a host where zfs send does not write its own stream (zfs-fuse): a piped "
                        + "transfer has no progress, and a cancel or stall kill cannot stop its stream (the daemon "
                        + "holds both ends of the pipe); use it for measurement, not in production");
            }
        }
        this.server = server;
        this.source = source;
        this.cursors = new CursorBookmarks(source);
        this.binaries = binaries;
        this.targets = Map.copyOf(targets);
        this.settings = settings;
        this.facts = facts;
        this.clock = clock;
        this.breakers = new TargetBreakers(clock);
        this.retry = Retry.of("zfs-" + server, RetryConfig.custom()
                .maxAttempts(3)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2.0))
                .retryOnException(TransferExecutor::worthRetrying)
                .build());
        long period = settings.progressInterval().toMillis();
        watchdog.scheduleAtFixedRate(this::watch, period, period, TimeUnit.MILLISECONDS);
    }

    /** Only a busy dataset or a process that could not be started is worth an immediate second try. */
    private static boolean worthRetrying(Throwable e) {
        return e instanceof UncheckedIOException
                || e instanceof ZfsException z && (z.kind() == ZfsErrorKind.BUSY || z.kind() == ZfsErrorKind.TIMEOUT);
    }

    /**
     * Accepts the order and returns at once; the outcome comes as a fact (and in the handle). A refusal
     * (open circuit, another transfer to the same dataset, agent closing) is published before this returns.
     */
    public TransferHandle start(StartTransfer c) {
        long received = System.nanoTime();
        Instant receivedAt = clock.instant();
        TransferHandle handle;
        synchronized (this) {
            TransferHandle existing = byId.get(c.transferId());
            if (existing != null) {
                log.info("transfer {} was already {}; no second stream", c.transferId(),
                        existing.finished() ? "carried out, reporting its outcome again" : "running");
                if (existing.finished()) {
                    publish(existing.outcome().join()); // the answer again; a running one reports when it ends
                }
                return existing;
            }
            Optional<String> refused = closed ? Optional.of("the agent on " + server + " is stopping")
                    : Optional.ofNullable(runningByTarget.get(key(c)))
                    .map(other -> "transfer " + other + " to " + c.targetServer() + ":" + c.targetDataset()
                            + " is still running; one transfer per target dataset at a time")
                    .or(() -> breakers.refusal(c.targetServer(), c.policy()));
            if (refused.isPresent()) {
                TransferFailed fact = new TransferFailed(server, c.transferId(), c.to(), refused.get(), null, true, 0,
                        clock.instant(), c.link());
                log.warn("transfer {} refused: {}", c.transferId(), refused.get());
                publish(fact);
                return TransferHandle.answered(c.transferId(), fact); // not remembered: the same id may be retried
            }
            TransferTarget target = targets.getOrDefault(c.targetServer(), TransferTarget.LOCAL);
            TargetTransport transport = new TargetTransport(target, binaries);
            TransferRun run = new TransferRun(c, server, source, binaries, transport,
                    () -> targetDriver(c.targetServer(), transport, c), settings, clock, retry, mbufferInstalled,
                    pvInstalled, progress, System::nanoTime, received, () -> streamStarts.accept(new StreamStarted(c.transferId(), c.to(),
                    c.targetServer(), receivedAt, clock.instant())));
            handle = new TransferHandle(c.transferId(), run);
            byId.put(c.transferId(), handle);
            runningByTarget.put(key(c), c.transferId());
        }
        workers.execute(() -> execute(c, handle));
        return handle;
    }

    private void execute(StartTransfer c, TransferHandle handle) {
        long began = System.nanoTime();
        TransferRun.Outcome outcome;
        try {
            outcome = handle.run().run();
        } catch (RuntimeException e) {
            log.error("transfer {} failed unexpectedly", c.transferId(), e);
            outcome = new TransferRun.Outcome(new TransferFailed(server, c.transferId(), c.to(), "transfer failed on "
                    + server + ": " + e + "; see the agent's log", null, true, handle.bytes(), clock.instant(), c.link()),
                    false);
        }
        long took = System.nanoTime() - began;
        if (outcome.targetFault()) {
            breakers.failed(c.targetServer(), c.policy(), took, String.valueOf(outcome.fact()));
        } else if (handle.run().cancelReason() != null) {
            breakers.released(c.targetServer(), c.policy());
        } else {
            breakers.succeeded(c.targetServer(), c.policy(), took);
        }
        if (outcome.fact() instanceof TransferCompleted done) {
            cursors.advance(c.link(), c.to(), done.snapshotGuid());
        }
        synchronized (this) {
            runningByTarget.remove(key(c), c.transferId());
        }
        log.info("transfer {} ended: {}", c.transferId(), outcome.fact());
        publish(outcome.fact());
        handle.complete(outcome.fact());
    }

    /** Told each time a transfer's {@code zfs send} has started (the bench times snapshot → transfer start). */
    public void onStreamStarted(Consumer<StreamStarted> listener) {
        this.streamStarts = listener;
    }

    /** Destroys the cursor bookmarks of a link that left the configuration; how many there were. */
    public int forgetLink(String link, DatasetName dataset) {
        return cursors.forget(link, dataset);
    }

    /** Kills the transfer's processes; it then reports a retriable TransferFailed. */
    public void cancel(UUID transferId, String why) {
        TransferHandle handle;
        synchronized (this) {
            handle = byId.get(transferId);
        }
        if (handle != null && handle.run() != null && !handle.finished()) {
            handle.run().cancel(why);
        }
    }

    public synchronized Optional<TransferHandle> transfer(UUID transferId) {
        return Optional.ofNullable(byId.get(transferId));
    }

    /** The target's driver: local → this host's zfs; ssh → probed once (reachable, pool there), then feature-detected. */
    private ZfsDriver targetDriver(ServerId target, TargetTransport transport, StartTransfer c) {
        if (transport.local()) {
            return new ZfsDriver(transport.runner(), source.features());
        }
        ZfsDriver known = targetDrivers.get(target);
        if (known != null) {
            return known;
        }
        CommandRunner runner = transport.runner();
        String pool = c.targetDataset().pool().value();
        CommandResult probe = runner.run(List.of("zfs", "list", "-H", "-o", "name", pool), TARGET_PROBE_TIMEOUT);
        if (!probe.succeeded()) {
            throw ZfsException.of("reach pool " + pool + " on target " + target + " (" + transport.describe() + ") for",
                    c.targetDataset().value(), probe);
        }
        ZfsDriver detected = ZfsDriver.detect(runner, c.targetDataset().pool());
        targetDrivers.put(target, detected);
        return detected;
    }

    private void watch() {
        List<TransferHandle> running;
        synchronized (this) {
            running = new ArrayList<>(byId.values().stream().filter(h -> !h.finished() && h.run() != null).toList());
        }
        double seconds = settings.progressInterval().toMillis() / 1000.0;
        for (TransferHandle h : running) {
            TransferRun run = h.run();
            if (!run.pumping()) {
                continue;
            }
            run.sample();
            if (run.stalled(run.stallTimeout())) {
                continue;
            }
            if (!run.progressKnown()) {
                continue; // a pipe whose bytes cannot be read here: no number rather than a wrong one
            }
            publish(new TransferProgressed(server, h.transferId(), run.bytes(),
                    (long) (h.bytesSinceLastReport() / seconds), clock.instant(), run.link()));
        }
    }

    private void publish(AgentFact fact) {
        try {
            facts.accept(fact);
        } catch (RuntimeException e) {
            log.warn("could not publish {}: {}", fact.getClass().getSimpleName(), e.getMessage());
        }
    }

    private static String key(StartTransfer c) {
        return c.targetServer().value() + ":" + c.targetDataset().value();
    }

    static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Cancels every running transfer (each reports TransferFailed, retriable) and waits for them to end. */
    @Override
    public void close() {
        List<TransferHandle> running;
        synchronized (this) {
            closed = true;
            running = byId.values().stream().filter(h -> !h.finished() && h.run() != null).toList();
        }
        running.forEach(h -> h.run().cancel("the agent on " + server + " is stopping"));
        watchdog.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("transfers still ending after 30 s: {}", running.stream().map(TransferHandle::transferId).toList());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
