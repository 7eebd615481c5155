package io.zsentinel.deploy.transfer;

import io.github.resilience4j.retry.Retry;
import io.zsentinel.core.messages.agentcommands.StartTransfer;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.messages.facts.TransferCompleted;
import io.zsentinel.core.messages.facts.TransferFailed;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.ShellQuoting;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.ReceiveSpec;
import io.zsentinel.core.zfs.DatasetRole;
import io.zsentinel.core.zfs.SendSpec;
import io.zsentinel.core.zfs.SnapshotEntry;
import io.zsentinel.core.zfs.ZfsBinaries;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsErrorKind;
import io.zsentinel.core.zfs.ZfsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One transfer, in three jobs: the pure pre-flight check ({@link TransferPreflight}: already there, refused, or
 * stream it), the processes ({@link TransferPipeline}) and what the watchdog reads ({@link TransferMonitor}).
 * The bytes move in one of two shapes:
 * <ul>
 * <li><b>piped</b> (no bandwidth limit, see {@link TransferSettings#pipe()}): {@code zfs send} [→ mbuffer]
 * → {@code zfs receive} (local or behind ssh) joined by kernel pipes ({@link ProcessBuilder#startPipeline}),
 * so no byte passes through this JVM. Progress is the send process's written bytes ({@link SendProgress}),
 * sampled every {@value TransferPipeline#SAMPLE_MILLIS} ms; where they do not count the stream (zfs-fuse) it is unknown.</li>
 * <li><b>pumped</b> (a bandwidth limit): {@code zfs send} [→ mbuffer] → this JVM's pump → {@code zfs receive};
 * the pump counts bytes and applies the limit ({@link TokenBucket}).</li>
 * </ul>
 * Every process's stderr is kept for the failure reason. {@link #run()} blocks; {@link #cancel} kills.
 */
final class TransferRun {
    private static final Logger log = LoggerFactory.getLogger(TransferRun.class);
    /** How long a failed process's last words may take to be read after it exited. */
    private static final Duration STDERR_WAIT = Duration.ofSeconds(5);

    /** What ended the run; {@code targetFault}: counts against the target's circuit breaker. */
    record Outcome(AgentFact fact, boolean targetFault) {
    }

    private final StartTransfer command;
    private final ServerId server;
    private final ZfsDriver source;
    private final ZfsBinaries binaries;
    private final TargetTransport transport;
    private final Supplier<ZfsDriver> targetZfs;
    private final Clock clock;
    private final Retry retry;
    private final SendProgress progress;
    private final boolean piped;
    /** pv in the pipe: it counts (and limits) the stream. */
    private final boolean metered;
    private final Runnable started;
    private final TransferMonitor monitor;
    private final TransferPipeline pipeline;

    /** The controller's name of the link this transfer serves (echoed in every fact). */
    String link() {
        return command.link();
    }

    /**
     * {@code nanoTime}: the time source of progress and stalls ({@link System#nanoTime} in the agent);
     * {@code receivedNanos}: when the order arrived, on it.
     */
    TransferRun(StartTransfer command, ServerId server, ZfsDriver source, ZfsBinaries binaries, TargetTransport transport,
                Supplier<ZfsDriver> targetZfs, TransferSettings settings, Clock clock, Retry retry,
                boolean mbufferInstalled, boolean pvInstalled, SendProgress progress, LongSupplier nanoTime,
                long receivedNanos, Runnable started) {
        this.command = command;
        this.server = server;
        this.source = source;
        this.binaries = binaries;
        this.transport = transport;
        this.targetZfs = targetZfs;
        this.clock = clock;
        this.retry = retry;
        this.progress = progress;
        Shape shape = Shape.of(settings.pipeMode(), command.bandwidthLimitBytesPerSecond() > 0, progress.counts(),
                pvInstalled);
        this.metered = shape == Shape.PV_PIPE;
        this.piped = shape != Shape.PUMP;
        this.started = started;
        this.monitor = new TransferMonitor(nanoTime, receivedNanos);
        this.pipeline = new TransferPipeline(transport, mbufferInstalled, shape, command.bandwidthLimitBytesPerSecond(),
                settings.bufferBytes(), monitor, progress);
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
        return monitor.bytes();
    }

    /** Whether the stream flows (the watchdog looks at it only then). */
    boolean pumping() {
        return monitor.streaming();
    }

    /** The link's stall timeout, sent with the order. */
    Duration stallTimeout() {
        return command.policy().stallTimeout();
    }

    /** The stall watchdog's look: cancels the transfer (and returns true) when no byte moved for {@code stall}. */
    boolean stalled(Duration stall) {
        return monitor.stalled(stall, progressKnown(), pipeline::sendAlive, this::cancel);
    }

    /** Reads the piped send's written bytes now (no-op for the pump, which counts itself). */
    void sample() {
        pipeline.sample();
    }

    /** StartTransfer received → send process started; empty until then. */
    Optional<Duration> startLatency() {
        return monitor.startLatency();
    }

    /**
     * Stops the transfer; {@link #run()} then reports a retriable TransferFailed with {@code why} (see
     * {@link TransferPipeline#cancel}).
     */
    void cancel(String why) {
        pipeline.cancel(why);
    }

    String cancelReason() {
        return pipeline.cancelReason();
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
            pipeline.close(); // nothing of a finished transfer may linger
        }
    }

    private Outcome runOnce() {
        SendSpec spec = sendSpec();
        ZfsDriver target;
        boolean targetExisted;
        try {
            target = targetZfs.get();
            targetExisted = withRetry(() -> target.datasetExists(command.targetDataset()));
            TransferPreflight.Verdict verdict = TransferPreflight.check(command, spec, targetExisted, sides(target));
            if (verdict instanceof TransferPreflight.Verdict.AlreadyThere there) {
                log.info("transfer {}: {} already holds {} (guid {}); nothing to send", command.transferId(),
                        command.targetServer(), targetSnapshot(), there.guid());
                keepReadOnly(target); // e.g. a replica received before zsentinel kept replicas read-only
                recordGeneration(target);
                return new Outcome(new TransferCompleted(server, command.transferId(), targetSnapshot(), there.guid(),
                        0, clock.instant(), command.link()), false);
            }
            if (verdict instanceof TransferPreflight.Verdict.Refused refused) {
                return failed(refused.reason(), refused.retriable(), refused.resumeToken(), refused.targetFault());
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
        TransferPipeline.Streams streams;
        try {
            streams = withRetry(() -> pipeline.start(sendArgv, receiveArgv));
        } catch (UncheckedIOException e) {
            pipeline.close();
            return failed("cannot start " + ShellQuoting.commandLine(sendArgv) + " → "
                    + ShellQuoting.commandLine(receiveArgv) + ": " + e.getCause().getMessage(), true, null, false);
        }
        log.info("transfer {}: {} → {} {} started in {} ms ({})", command.transferId(), ShellQuoting.commandLine(sendArgv),
                transport.describe(), command.targetDataset(), startLatency().orElse(Duration.ZERO).toMillis(),
                shape() + (metered && command.bandwidthLimitBytesPerSecond() > 0 ? ", limited to "
                        + command.bandwidthLimitBytesPerSecond() + " B/s" : "")
                        + (piped && !metered ? "; progress: " + progress.describe() : ""));
        started.run();
        String pumpError = pipeline.flow(streams);
        int sendExit = pipeline.waitFor(streams.send());
        int receiveExit = pipeline.waitFor(streams.receive());
        int mbufferExit = streams.mbuffer() == null ? 0 : pipeline.waitFor(streams.mbuffer());
        int meterExit = streams.meter() == null ? 0 : pipeline.waitFor(streams.meter());
        if (streams.meter() != null) {
            streams.meterErr().awaitEnd(Duration.ofSeconds(5)); // its last line is the total
            if (meterExit != 0 && pumpError == null) {
                pumpError = "pv exit " + meterExit + " " + streams.meterErr().said();
            }
        }
        String cancelled = pipeline.cancelReason();
        if (cancelled != null) {
            return failed("transfer cancelled after " + bytes() + " bytes: " + cancelled + partialState(target,
                    targetExisted, spec), true, resumeToken(target), cancelled.startsWith("stalled"));
        }
        if (sendExit == 0 && receiveExit == 0 && mbufferExit == 0 && pumpError == null) {
            if (!setByReceive) {
                keepReadOnly(target); // zfs-fuse has no receive -o; the replica stays unmounted (-u) until now
            }
            recordGeneration(target);
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

    /** The two sides for the pre-flight check, each read (with the retry) when it asks. */
    private TransferPreflight.Sides sides(ZfsDriver target) {
        return new TransferPreflight.Sides() {
            @Override
            public Optional<Guid> targetSnapshotGuid() {
                return withRetry(() -> target.snapshotExists(targetSnapshot()))
                        ? Optional.of(withRetry(() -> target.snapshotGuid(targetSnapshot()))) : Optional.empty();
            }

            @Override
            public Guid sourceSnapshotGuid() {
                return withRetry(() -> source.snapshotGuid(command.to()));
            }

            @Override
            public Optional<String> partialReceive() {
                return withRetry(() -> target.receiveResumeToken(command.targetDataset()));
            }

            @Override
            public List<SnapshotInfo> targetSnapshots() {
                return ownSnapshots(target, command.targetDataset());
            }

            @Override
            public Guid incrementalSourceGuid() {
                return withRetry(() -> command.fromBookmark() ? source.bookmarkGuid(command.bookmark())
                        : source.snapshotGuid(command.from()));
            }

            @Override
            public List<SnapshotInfo> sourceSnapshots() {
                return ownSnapshots(source, command.to().dataset());
            }

            @Override
            public List<BookmarkInfo> sourceBookmarks() {
                return withRetry(() -> source.listBookmarks(command.to().dataset()));
            }

            @Override
            public DatasetRole targetRole() {
                return withRetry(() -> target.role(command.targetDataset()));
            }

            @Override
            public DatasetRole sourceRole() {
                return withRetry(() -> source.role(command.to().dataset()));
            }
        };
    }

    /** {@code dataset}'s own snapshots (not its children's). */
    private List<SnapshotInfo> ownSnapshots(ZfsDriver zfs, DatasetName dataset) {
        return withRetry(() -> zfs.listSnapshots(dataset)).stream().filter(e -> e.name().dataset().equals(dataset))
                .map(SnapshotEntry::info).toList();
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

    /**
     * Records the order's generation on the target after it holds the snapshot (an order a failover's new primary
     * sends carries one): an older order, such as a former primary's from before the failover, is refused there from
     * now on. A failure is logged and tried again with the next transfer; the received snapshot stands.
     */
    private void recordGeneration(ZfsDriver target) {
        if (command.generation() == 0) {
            return;
        }
        try {
            withRetry(() -> {
                target.recordGeneration(command.targetDataset(), command.generation());
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("transfer {}: could not record generation {} on {}:{} ({}); older orders are not fenced there until"
                            + " the next transfer records it", command.transferId(), command.generation(),
                    command.targetServer(), command.targetDataset(), e.getMessage());
        }
    }

    private Outcome streamFailed(ZfsDriver target, boolean targetExisted, SendSpec spec, int sendExit, int receiveExit,
                                 int mbufferExit, TransferPipeline.Streams s, String pumpError) {
        String receiveText = s.receiveErr().textAtEnd(STDERR_WAIT).strip();
        String sendText = s.sendErr().textAtEnd(STDERR_WAIT).strip();
        ZfsErrorKind kind = ZfsErrorKind.classify(receiveText.isEmpty() ? sendText : receiveText.replace('\n', ' '));
        boolean retriable = kind.retriableTransfer();
        StringBuilder reason = new StringBuilder("transfer of ").append(command.to()).append(" to ")
                .append(command.targetServer()).append(':').append(command.targetDataset()).append(" (")
                .append(transport.describe()).append(") failed after ").append(bytes()).append(" bytes: ");
        reason.append("receive exit ").append(receiveExit).append(receiveText.isEmpty() ? "" : " \"" + oneLine(receiveText) + "\"");
        reason.append("; send exit ").append(sendExit).append(sendText.isEmpty() ? "" : " \"" + oneLine(sendText) + "\"");
        if (s.mbuffer() != null) {
            reason.append("; mbuffer exit ").append(mbufferExit).append(" \"").append(oneLine(s.mbufferErr().textAtEnd(STDERR_WAIT))).append('"');
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
