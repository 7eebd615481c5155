package io.zsentinel.deploy.transfer;

import io.github.resilience4j.retry.Retry;
import io.zsentinel.core.messages.agentcommands.StartTransfer;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.TransferCompleted;
import io.zsentinel.core.messages.facts.TransferFailed;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.ShellQuoting;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.ReceiveSpec;
import io.zsentinel.core.zfs.SendSpec;
import io.zsentinel.core.zfs.SnapshotEntry;
import io.zsentinel.core.zfs.ZfsBinaries;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsErrorKind;
import io.zsentinel.core.zfs.ZfsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One transfer, as processes started from argument lists (never a shell), in one of two shapes:
 * <ul>
 * <li><b>piped</b> (no bandwidth limit, see {@link TransferSettings#pipe()}): {@code zfs send} [→ mbuffer]
 * → {@code zfs receive} (local or behind ssh) joined by kernel pipes ({@link ProcessBuilder#startPipeline}),
 * so no byte passes through this JVM. Progress is the send process's written bytes ({@link SendProgress}),
 * sampled every {@value #SAMPLE_MILLIS} ms; where they do not count the stream (zfs-fuse) it is unknown.</li>
 * <li><b>pumped</b> (a bandwidth limit): {@code zfs send} [→ mbuffer] → this JVM's pump → {@code zfs receive};
 * the pump counts bytes and applies the limit ({@link TokenBucket}).</li>
 * </ul>
 * Every process's stderr is kept for the failure reason. {@link #run()} blocks; {@link #cancel} kills.
 */
final class TransferRun {
    private static final Logger log = LoggerFactory.getLogger(TransferRun.class);
    private static final long FINISH_GRACE_SECONDS = 600;
    private static final long SAMPLE_MILLIS = 20;
    /** The pump's hand-off buffers of {@link TransferSettings#bufferBytes()} each (measured in docs/benchmarks.md). */
    private static final int PUMP_BUFFERS = 4;

    /** What ended the run; {@code targetFault}: counts against the target's circuit breaker. */
    record Outcome(AgentFact fact, boolean targetFault) {
    }

    private final StartTransfer command;
    private final ServerId server;
    private final ZfsDriver source;
    private final ZfsBinaries binaries;
    private final TargetTransport transport;
    private final Supplier<ZfsDriver> targetZfs;
    private final TransferSettings settings;
    private final Clock clock;
    private final Retry retry;
    private final boolean mbufferInstalled;
    private final SendProgress progress;
    private final boolean piped;
    /** pv in the pipe: it counts (and limits) the stream. */
    private final boolean metered;
    private final long receivedNanos;
    private final Runnable started;
    private final AtomicLong bytes = new AtomicLong();
    private volatile long lastByteNanos = System.nanoTime();
    private volatile long startLatencyNanos = -1;
    private volatile boolean pumping;
    private volatile String cancelled;
    private final List<Process> processes = new ArrayList<>();
    private static final long KILL_AFTER_CANCEL_SECONDS = 10;
    private volatile Process receive;
    private volatile Process send;
    private volatile boolean ended;

    /** The controller's name of the link this transfer serves (echoed in every fact). */
    String link() {
        return command.link();
    }

    TransferRun(StartTransfer command, ServerId server, ZfsDriver source, ZfsBinaries binaries, TargetTransport transport,
                Supplier<ZfsDriver> targetZfs, TransferSettings settings, Clock clock, Retry retry,
                boolean mbufferInstalled, boolean pvInstalled, SendProgress progress, long receivedNanos,
                Runnable started) {
        this.command = command;
        this.server = server;
        this.source = source;
        this.binaries = binaries;
        this.transport = transport;
        this.targetZfs = targetZfs;
        this.settings = settings;
        this.clock = clock;
        this.retry = retry;
        this.mbufferInstalled = mbufferInstalled;
        this.progress = progress;
        Shape shape = Shape.of(settings.pipeMode(), command.bandwidthLimitBytesPerSecond() > 0, progress.counts(),
                pvInstalled);
        this.metered = shape == Shape.PV_PIPE;
        this.piped = shape != Shape.PUMP;
        this.receivedNanos = receivedNanos;
        this.started = started;
    }

    /** Whether this transfer runs as a kernel pipeline (no bandwidth limit) rather than through the pump. */
    boolean piped() {
        return piped;
    }

    /** Whether {@link #bytes()} counts the stream as it flows (false: a pipeline without pv on zfs-fuse). */
    boolean progressKnown() {
        return !piped || metered || progress.counts();
    }

    /** How a transfer's bytes move. */
    enum Shape {
        /** {@code zfs send | zfs receive}: kernel pipes, no byte in this JVM. */
        PIPE,
        /** {@code zfs send | pv | zfs receive}: pv counts (and limits) the stream. */
        PV_PIPE,
        /** zfs send → this JVM's pump → zfs receive: the pump counts and limits. */
        PUMP;

        /**
         * AUTO: a plain pipe where the send's own writes count the stream (zfs in the kernel) and nothing
         * limits it; else pv as the pipe's meter (and limiter) where installed; else the pump.
         */
        static Shape of(TransferSettings.Pipe mode, boolean limited, boolean sendCounts, boolean pvInstalled) {
            if (mode == TransferSettings.Pipe.AUTO && pvInstalled && (limited || !sendCounts)) {
                return PV_PIPE;
            }
            boolean pipe = switch (mode) {
                case ALWAYS -> true;
                case NEVER -> false;
                case AUTO -> sendCounts;
            };
            return pipe && !limited ? PIPE : PUMP;
        }
    }

    /**
     * The agent's start-up line: how transfers move their bytes on this host, without and with a bandwidth
     * limit, and how their progress is known.
     */
    static String describeSetup(TransferSettings.Pipe mode, SendProgress progress, boolean pvInstalled) {
        Shape free = Shape.of(mode, false, progress.counts(), pvInstalled);
        Shape limited = Shape.of(mode, true, progress.counts(), pvInstalled);
        String pvMeters = "progress every " + PvMeter.INTERVAL_SECONDS + " s";
        String unlimited = switch (free) {
            case PIPE -> "zfs send | zfs receive (kernel pipe; " + (progress.counts()
                    ? "progress from the bytes zfs send writes)" : "no progress: " + progress.describe() + ")");
            case PV_PIPE -> "zfs send | pv | zfs receive (pv counts the stream, " + pvMeters
                    + (progress.counts() ? "" : "; zfs send's own bytes do not count it: " + progress.describe()) + ")";
            case PUMP -> "zfs send → agent → zfs receive (the agent copies and counts the stream; "
                    + (mode == TransferSettings.Pipe.NEVER ? "pipe: never" : "pv not found, install it to keep the "
                    + "stream out of the agent; " + progress.describe()) + ")";
        };
        String withLimit = switch (limited) {
            case PV_PIPE -> "zfs send | pv -L | zfs receive" + (free == Shape.PV_PIPE ? ""
                    : " (pv counts and limits the stream, " + pvMeters + ")");
            case PUMP -> free == Shape.PUMP ? "the same, and the agent limits it"
                    : "zfs send → agent → zfs receive (the agent copies, counts and limits the stream)";
            case PIPE -> throw new IllegalStateException("a plain pipe cannot limit a transfer");
        };
        return "transfers: " + unlimited + "; with a bandwidth limit: " + withLimit;
    }

    /** How the bytes move: "send → pv → receive", "send → receive" (kernel pipes) or "Java pump". */
    String shape() {
        return metered ? "send → pv → receive" : piped ? "send → receive" : "Java pump";
    }

    /** Whether pv meters this transfer's pipe. */
    boolean metered() {
        return metered;
    }

    long bytes() {
        return bytes.get();
    }

    boolean pumping() {
        return pumping;
    }

    /**
     * Nanoseconds since the last byte moved while streaming (the stall watchdog reads it). With unknown
     * progress the watchdog can only see that {@code zfs send} is alive: 0 while it runs.
     */
    long idleNanos() {
        if (!progressKnown()) {
            Process send = this.send;
            return send != null && send.isAlive() ? 0 : System.nanoTime() - lastByteNanos;
        }
        return System.nanoTime() - lastByteNanos;
    }

    /** Reads the piped send's written bytes now (no-op for the pump, which counts itself). */
    void sample() {
        Process send = this.send;
        if (!piped || metered || send == null) {
            return; // the pump and pv count as the bytes pass
        }
        progress.written(send.pid()).ifPresent(this::counted);
    }

    private void counted(long total) {
        if (bytes.getAndAccumulate(total, Math::max) < total) {
            lastByteNanos = System.nanoTime();
        }
    }

    /** StartTransfer received → send process started; empty until then. */
    Optional<Duration> startLatency() {
        long n = startLatencyNanos;
        return n < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(n));
    }

    /**
     * Stops the transfer; {@link #run()} then reports a retriable TransferFailed with {@code why}. The
     * sender is killed and the receiver's input closes (the pipe's last writer is gone, or the pump closes
     * it), so {@code zfs receive} sees a truncated
     * stream and discards it itself (a SIGKILLed receive client leaves zfs-fuse's daemon cleaning up
     * for a moment after it is gone); whatever still runs {@value #KILL_AFTER_CANCEL_SECONDS} s later is killed.
     */
    void cancel(String why) {
        synchronized (this) {
            if (cancelled == null) {
                cancelled = why;
            }
            processes.stream().filter(p -> p != receive).forEach(TransferRun::kill);
        }
        CompletableFuture.delayedExecutor(KILL_AFTER_CANCEL_SECONDS, TimeUnit.SECONDS).execute(() -> {
            if (!ended) {
                killAll();
            }
        });
    }

    String cancelReason() {
        return cancelled;
    }

    SendSpec sendSpec() {
        if (command.resumeToken() != null) {
            return SendSpec.resume(command.resumeToken(), command.to());
        }
        if (command.from() == null) {
            return SendSpec.full(command.to());
        }
        if (command.fromBookmark()) {
            return SendSpec.fromBookmark(command.bookmark(), command.to());
        }
        return command.intermediates() ? SendSpec.withIntermediates(command.from(), command.to())
                : SendSpec.incremental(command.from(), command.to());
    }

    SnapshotName targetSnapshot() {
        return command.targetDataset().snapshot(command.to().shortName());
    }

    Outcome run() {
        try {
            return runOnce();
        } finally {
            ended = true;
            killAll(); // nothing of a finished transfer may linger
        }
    }

    private Outcome runOnce() {
        SendSpec spec = sendSpec();
        ZfsDriver target;
        boolean targetExisted;
        try {
            target = targetZfs.get();
            targetExisted = withRetry(() -> target.datasetExists(command.targetDataset()));
            Optional<Outcome> decided = checkTarget(target, spec, targetExisted);
            if (decided.isPresent()) {
                return decided.get();
            }
        } catch (ZfsException e) {
            return failed("cannot prepare the target: " + e.getMessage(), e.kind().retriableTransfer(), null,
                    e.kind().retriableTransfer());
        } catch (RuntimeException e) {
            return failed("cannot prepare the target: " + e, true, null, true);
        }
        List<String> sendArgv = binaries.argv(source.sendCommand(spec));
        // a resumed stream (send -t) is received without -o: its properties belong to the interrupted receive
        boolean setByReceive = target.features().receiveProperties() && spec.resumeToken() == null;
        ReceiveSpec receiveSpec = setByReceive ? ReceiveSpec.of(command.targetDataset()).asReplicaOf(replicaSource())
                : ReceiveSpec.of(command.targetDataset());
        List<String> receiveArgv = transport.argv(target.receiveCommand(command.rollbackTarget()
                ? receiveSpec.operatorOrderedForceRollback() : receiveSpec));
        Streams streams;
        try {
            streams = withRetry(() -> start(sendArgv, receiveArgv));
        } catch (UncheckedIOException e) {
            killAll();
            return failed("cannot start " + ShellQuoting.commandLine(sendArgv) + " → "
                    + ShellQuoting.commandLine(receiveArgv) + ": " + e.getCause().getMessage(), true, null, false);
        }
        log.info("transfer {}: {} → {} {} started in {} ms ({})", command.transferId(), ShellQuoting.commandLine(sendArgv),
                transport.describe(), command.targetDataset(), startLatencyNanos / 1_000_000,
                shape() + (metered && command.bandwidthLimitBytesPerSecond() > 0 ? ", limited to "
                        + command.bandwidthLimitBytesPerSecond() + " B/s" : "")
                        + (piped && !metered ? "; progress: " + progress.describe() : ""));
        started.run();
        String pumpError = piped ? awaitPipe(streams) : pump(streams);
        int sendExit = waitFor(streams.send);
        int receiveExit = waitFor(streams.receive);
        int mbufferExit = streams.mbuffer == null ? 0 : waitFor(streams.mbuffer);
        int meterExit = streams.meter == null ? 0 : waitFor(streams.meter);
        if (streams.meter != null) {
            streams.meterErr.awaitEnd(Duration.ofSeconds(5)); // its last line is the total
            if (meterExit != 0 && pumpError == null) {
                pumpError = "pv exit " + meterExit + " " + streams.meterErr.said();
            }
        }
        if (cancelled != null) {
            return failed("transfer cancelled after " + bytes() + " bytes: " + cancelled + partialState(target,
                    targetExisted, spec), true, resumeToken(target), cancelled.startsWith("stalled"));
        }
        if (sendExit == 0 && receiveExit == 0 && mbufferExit == 0 && pumpError == null) {
            if (!setByReceive) {
                keepReadOnly(target); // zfs-fuse has no receive -o; the replica stays unmounted (-u) until now
            }
            try {
                Guid guid = withRetry(() -> target.snapshotGuid(targetSnapshot()));
                return new Outcome(new TransferCompleted(server, command.transferId(), targetSnapshot(), guid, bytes(),
                        clock.instant(), command.link()), false);
            } catch (ZfsException e) {
                return failed("the stream was received but the target's snapshot cannot be read back: "
                        + e.getMessage(), true, null, true);
            }
        }
        return streamFailed(target, targetExisted, spec, sendExit, receiveExit, mbufferExit, streams, pumpError);
    }

    /**
     * Already there (a redelivered or replayed order): completed at once, nothing streamed. An
     * incremental stream needs the target; a full one must not replace an existing target.
     */
    private Optional<Outcome> checkTarget(ZfsDriver target, SendSpec spec, boolean targetExists) {
        if (targetExists && withRetry(() -> target.snapshotExists(targetSnapshot()))) {
            Guid there = withRetry(() -> target.snapshotGuid(targetSnapshot()));
            Guid here = withRetry(() -> source.snapshotGuid(command.to()));
            if (there.equals(here)) {
                log.info("transfer {}: {} already holds {} (guid {}); nothing to send", command.transferId(),
                        command.targetServer(), targetSnapshot(), there);
                keepReadOnly(target); // e.g. a replica received before zsentinel kept replicas read-only
                return Optional.of(new Outcome(new TransferCompleted(server, command.transferId(), targetSnapshot(),
                        there, 0, clock.instant(), command.link()), false));
            }
            return Optional.of(failed("target " + targetSnapshot() + " on " + command.targetServer() + " has guid "
                    + there + ", not " + here + " as " + command.to() + " here: the target diverged. "
                    + ZfsErrorKind.DIVERGED.correction(), false, null, false));
        }
        if (spec.resumeToken() != null) {
            return Optional.empty();
        }
        Optional<String> partial = targetExists ? withRetry(() -> target.receiveResumeToken(command.targetDataset()))
                : Optional.empty();
        if (partial.isPresent()) {
            // OpenZFS kept an interrupted `receive -s` (whose token this order lost, e.g. after a stall): a new
            // stream would be refused, and a full one would look like replacing the target; resume it instead
            return Optional.of(failed("target " + command.targetDataset() + " on " + command.targetServer()
                    + " holds a partly received stream (receive -s); the next attempt resumes it", true, partial.get(),
                    false));
        }
        if (spec.incremental() && !targetExists) {
            return Optional.of(failed("target " + command.targetDataset() + " does not exist on " + command.targetServer()
                    + ": an incremental stream from " + command.from() + " needs it (pool exported, or the dataset"
                    + " destroyed: the next plan sends a full stream once the target's inventory shows it gone)",
                    true, null, true));
        }
        if (spec.incremental()) {
            // zfs-fuse accepts an incremental onto a target whose newest snapshot is its own when no data
            // changed since; the rule (newest target snapshot must be the source's) is checked here for every zfs
            List<SnapshotEntry> there = withRetry(() -> target.listSnapshots(command.targetDataset())).stream()
                    .filter(e -> e.name().dataset().equals(command.targetDataset())).toList();
            Guid base = withRetry(() -> command.fromBookmark() ? source.bookmarkGuid(command.bookmark())
                    : source.snapshotGuid(command.from()));
            SnapshotEntry newest = there.isEmpty() ? null : there.get(there.size() - 1);
            int order = newest == null || newest.guid().equals(base) ? 0 : sourceOrder(newest.guid(), base);
            if (order > 0) {
                // The target is ahead of this plan (the controller planned on an inventory older than the
                // last transfer): not a divergence; a fresh plan starts from the target's newest snapshot.
                return Optional.of(failed("target " + command.targetDataset() + " on " + command.targetServer()
                        + " already has " + newest.name() + ", newer than the planned incremental source "
                        + command.from() + "; the plan was stale and is made again", true, null, false));
            }
            if (order < 0) {
                // The target's newest is an older common snapshot: the planned source was destroyed there
                // (or the plan assumed a transfer the target lost); nothing of its own, so plan again from it.
                return Optional.of(failed("target " + command.targetDataset() + " on " + command.targetServer()
                        + " lacks the planned incremental source " + command.from() + "; its newest snapshot "
                        + newest.name() + " is older, and the next plan starts there", true, null, false));
            }
            if (newest == null || !newest.guid().equals(base)) {
                return Optional.of(failed("target " + command.targetDataset() + " on " + command.targetServer()
                        + " diverged: its newest snapshot is " + (newest == null ? "none" : newest.name() + " (guid "
                        + newest.guid() + ")") + ", not the incremental source " + command.from() + " (guid " + base
                        + "). " + ZfsErrorKind.DIVERGED.correction(), false, null, false));
            }
        }
        if (!spec.incremental() && targetExists) {
            return Optional.of(failed("target " + command.targetDataset() + " already exists on " + command.targetServer()
                    + ": a full stream would have to replace it (receive -F), which zsentinel never does by itself. "
                    + ZfsErrorKind.DIVERGED.correction(), false, null, false));
        }
        return Optional.empty();
    }

    /** What the target copies, as its {@value ReceiveSpec#REPLICA_PROPERTY} names it: {@code server:dataset}. */
    private String replicaSource() {
        return server.value() + ":" + command.to().dataset().value();
    }

    /**
     * Sets {@code readonly=on} (and the replica marker) on the target again: looking at a mounted replica then
     * never writes to it (atime on zfs-fuse), so the next incremental is not refused as "modified". A failure
     * does not undo the received snapshot; it is logged, and the next transfer tries again.
     */
    private void keepReadOnly(ZfsDriver target) {
        try {
            withRetry(() -> {
                target.keepReplicaReadOnly(command.targetDataset(), replicaSource());
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("transfer {}: could not keep {}:{} read-only ({}); reading or writing it may make the next "
                            + "incremental refuse: run `zfs set readonly=on {}` there", command.transferId(),
                    command.targetServer(), command.targetDataset(), e.getMessage(), command.targetDataset());
        }
    }

    /** {@code ends}: the pump's named pipes (null for a kernel pipeline); {@code meter}: pv (or null). */
    private record Streams(Process send, Process mbuffer, Process receive, PumpEnds ends,
                           StreamCapture sendErr, StreamCapture mbufferErr, StreamCapture receiveErr,
                           Process meter, PvMeter.Reading meterErr) {
        Streams(Process send, Process mbuffer, Process receive, PumpEnds ends, StreamCapture sendErr,
                StreamCapture mbufferErr, StreamCapture receiveErr) {
            this(send, mbuffer, receive, ends, sendErr, mbufferErr, receiveErr, null, null);
        }
    }

    private List<String> mbufferArgv() {
        return List.of("mbuffer", "-q", "-s", "128k", "-m", transport.target().mbufferMemory());
    }

    /** send [→ mbuffer] [→ pv] → receive, joined by the kernel; the JVM holds none of the stream's pipes. */
    private Streams startPipeline(List<String> sendArgv, List<String> receiveArgv) throws IOException {
        boolean withMbuffer = transport.target().mbuffer() && mbufferInstalled;
        List<ProcessBuilder> builders = new ArrayList<>();
        builders.add(builder(sendArgv));
        if (withMbuffer) {
            builders.add(builder(mbufferArgv()));
        }
        if (metered) {
            builders.add(builder(PvMeter.argv(command.bandwidthLimitBytesPerSecond())));
        }
        builders.add(builder(receiveArgv));
        List<Process> pipeline = ProcessBuilder.startPipeline(builders);
        Process send = pipeline.get(0);
        Process receive = pipeline.get(pipeline.size() - 1);
        Process mbuffer = withMbuffer ? pipeline.get(1) : null;
        Process meter = metered ? pipeline.get(pipeline.size() - 2) : null;
        this.receive = receive; // before register: a cancel meanwhile must spare the receiver
        this.send = send;
        startLatencyNanos = System.nanoTime() - receivedNanos;
        register(send);
        if (mbuffer != null) {
            register(mbuffer);
        }
        if (meter != null) {
            register(meter);
        }
        register(receive);
        StreamCapture.of(receive.getInputStream());
        return new Streams(send, mbuffer, receive, null, StreamCapture.of(send.getErrorStream()),
                mbuffer == null ? null : StreamCapture.of(mbuffer.getErrorStream()),
                StreamCapture.of(receive.getErrorStream()), meter,
                meter == null ? null : PvMeter.read(meter.getErrorStream(), this::counted));
    }

    private Streams start(List<String> sendArgv, List<String> receiveArgv) {
        try {
            if (piped) {
                return startPipeline(sendArgv, receiveArgv);
            }
            PumpEnds ends = PumpEnds.create();
            try {
                return startPumped(sendArgv, receiveArgv, ends);
            } catch (IOException | RuntimeException e) {
                ends.close();
                throw e;
            }
        } catch (IOException e) {
            killAll();
            throw new UncheckedIOException(e);
        }
    }

    /** send [→ mbuffer] → the pump's named pipe; the receiver reads the other one. */
    private Streams startPumped(List<String> sendArgv, List<String> receiveArgv, PumpEnds ends) throws IOException {
        Process send;
        Process mbuffer = null;
        StreamCapture mbufferErr = null;
        if (transport.target().mbuffer() && mbufferInstalled) {
            // the OS pipes send straight into mbuffer; the pump reads mbuffer's output
            List<Process> pipeline = ProcessBuilder.startPipeline(List.of(builder(sendArgv),
                    builder(mbufferArgv()).redirectOutput(ends.senderOutput())));
            send = pipeline.get(0);
            mbuffer = pipeline.get(1);
            register(send);
            register(mbuffer);
            mbufferErr = StreamCapture.of(mbuffer.getErrorStream());
        } else {
            send = register(builder(sendArgv).redirectOutput(ends.senderOutput()).start());
        }
        this.send = send;
        startLatencyNanos = System.nanoTime() - receivedNanos;
        StreamCapture sendErr = StreamCapture.of(send.getErrorStream());
        Process receive = builder(receiveArgv).redirectInput(ends.receiverInput()).start();
        this.receive = receive;
        register(receive);
        ends.childrenStarted();
        StreamCapture.of(receive.getInputStream());
        StreamCapture receiveErr = StreamCapture.of(receive.getErrorStream());
        return new Streams(send, mbuffer, receive, ends, sendErr, mbufferErr, receiveErr);
    }

    private static ProcessBuilder builder(List<String> argv) {
        ProcessBuilder b = new ProcessBuilder(argv);
        b.environment().put("LC_ALL", "C"); // the error classifier reads zfs' C-locale messages
        return b;
    }

    private synchronized Process register(Process p) {
        processes.add(p);
        if (cancelled != null && p != receive) {
            kill(p);
        }
        return p;
    }

    private synchronized void killAll() {
        processes.forEach(TransferRun::kill);
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Copies the stream; returns null when it reached its end, else what broke it. */
    private String pump(Streams s) {
        TokenBucket bucket = command.bandwidthLimitBytesPerSecond() > 0
                ? new TokenBucket(command.bandwidthLimitBytesPerSecond(), System::nanoTime) : null;
        StreamPump pump = new StreamPump(PUMP_BUFFERS, settings.bufferBytes(), bucket, LockSupport::parkNanos,
                () -> cancelled != null, n -> {
            bytes.addAndGet(n);
            lastByteNanos = System.nanoTime();
        });
        lastByteNanos = System.nanoTime();
        pumping = true;
        try (PumpEnds ends = s.ends) {
            return pump.copy(ends.in(), ends.out(), () -> killQuietlyTheSender(s));
        } finally {
            pumping = false;
        }
    }

    /**
     * Waits for the piped {@code zfs send} to end, sampling its written bytes; returns null when it
     * ended by itself, else what broke the pipeline.
     */
    private String awaitPipe(Streams s) {
        lastByteNanos = System.nanoTime();
        pumping = true;
        try {
            while (!s.send.waitFor(SAMPLE_MILLIS, TimeUnit.MILLISECONDS)) {
                sample();
                if (!s.receive.isAlive() && !s.send.waitFor(1, TimeUnit.SECONDS)) {
                    // the receiver is gone and the sender did not notice (its pipe's other end may be mbuffer)
                    killQuietlyTheSender(s);
                    return "the receiver exited before the stream ended";
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel("interrupted");
            return null;
        } finally {
            pumping = false;
        }
    }

    /** The receiver is gone: the sender would block on a pipe nobody reads. */
    private void killQuietlyTheSender(Streams s) {
        kill(s.send);
        if (s.mbuffer != null) {
            kill(s.mbuffer);
        }
        if (s.meter != null) {
            kill(s.meter);
        }
    }

    private int waitFor(Process p) {
        try {
            if (!p.waitFor(FINISH_GRACE_SECONDS, TimeUnit.SECONDS)) {
                cancel("stalled: " + p.info().command().orElse("a process") + " did not exit");
                p.waitFor(10, TimeUnit.SECONDS);
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel("interrupted");
            return -1;
        }
    }

    private Outcome streamFailed(ZfsDriver target, boolean targetExisted, SendSpec spec, int sendExit, int receiveExit,
                                 int mbufferExit, Streams s, String pumpError) {
        String receiveText = s.receiveErr.text().strip();
        String sendText = s.sendErr.text().strip();
        ZfsErrorKind kind = ZfsErrorKind.classify(receiveText.isEmpty() ? sendText : receiveText.replace('\n', ' '));
        boolean retriable = kind.retriableTransfer();
        StringBuilder reason = new StringBuilder("transfer of ").append(command.to()).append(" to ")
                .append(command.targetServer()).append(':').append(command.targetDataset()).append(" (")
                .append(transport.describe()).append(") failed after ").append(bytes()).append(" bytes: ");
        reason.append("receive exit ").append(receiveExit).append(receiveText.isEmpty() ? "" : " \"" + oneLine(receiveText) + "\"");
        reason.append("; send exit ").append(sendExit).append(sendText.isEmpty() ? "" : " \"" + oneLine(sendText) + "\"");
        if (s.mbuffer != null) {
            reason.append("; mbuffer exit ").append(mbufferExit).append(" \"").append(oneLine(s.mbufferErr.text())).append('"');
        }
        if (pumpError != null) {
            reason.append(piped ? "; pipe: " : "; pump: ").append(pumpError);
        }
        reason.append(". ").append(retriable ? "Retriable: " : "Not retried: ")
                .append(kind == ZfsErrorKind.UNKNOWN ? "the stream or the connection broke; try again" : kind.correction());
        reason.append(partialState(target, targetExisted, spec));
        // a refused plan (diverged, missing) says nothing bad about the target server itself
        return failed(reason.toString(), retriable, resumeToken(target), retriable);
    }

    /** What an interrupted receive left: nothing on zfs-fuse (a failed full receive leaves no dataset). */
    private String partialState(ZfsDriver target, boolean targetExisted, SendSpec spec) {
        if (targetExisted || spec.incremental()) {
            return "";
        }
        try {
            return withRetry(() -> target.datasetExists(command.targetDataset()))
                    ? "; the target dataset " + command.targetDataset() + " now exists: inspect it before retrying" : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private String resumeToken(ZfsDriver target) {
        try {
            return target.receiveResumeToken(command.targetDataset()).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Where the target's newest snapshot ({@code guid}) stands on the source against the planned base:
     * 1 newer, -1 older, 0 unknown to the source (the target's own: a divergence). The base may be a bookmark.
     */
    private int sourceOrder(Guid guid, Guid base) {
        List<SnapshotEntry> here = withRetry(() -> source.listSnapshots(command.to().dataset())).stream()
                .filter(e -> e.name().dataset().equals(command.to().dataset())).toList();
        OptionalLong baseTxg = here.stream().filter(e -> e.guid().equals(base)).mapToLong(SnapshotEntry::createtxg)
                .findFirst();
        if (baseTxg.isEmpty()) {
            baseTxg = withRetry(() -> source.listBookmarks(command.to().dataset())).stream()
                    .filter(b -> b.guid().equals(base)).mapToLong(BookmarkInfo::createtxg).findFirst();
        }
        OptionalLong txg = here.stream().filter(e -> e.guid().equals(guid)).mapToLong(SnapshotEntry::createtxg)
                .findFirst();
        if (baseTxg.isEmpty() || txg.isEmpty()) {
            return 0;
        }
        return Long.compare(txg.getAsLong(), baseTxg.getAsLong());
    }

    private Outcome failed(String reason, boolean retriable, String resumeToken, boolean targetFault) {
        return new Outcome(new TransferFailed(server, command.transferId(), command.to(), reason, resumeToken, retriable,
                bytes(), clock.instant(), command.link()), targetFault);
    }

    private <T> T withRetry(Supplier<T> call) {
        return Retry.decorateSupplier(retry, call).get();
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\n\\s*", " / ");
    }
}
