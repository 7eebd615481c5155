package io.zsentinel.deploy.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The processes of one transfer, started from argument lists (never a shell), in the {@link TransferRun.Shape}
 * chosen for it: {@code zfs send} [→ mbuffer] [→ pv] → {@code zfs receive} joined by kernel pipes
 * ({@link ProcessBuilder#startPipeline}), or send [→ mbuffer] → this JVM's {@link StreamPump} → receive.
 * Every process's stderr is kept for the failure reason; the bytes go to the {@link TransferMonitor}.
 * {@link #cancel} kills; {@link #close} kills whatever is left.
 */
final class TransferPipeline implements AutoCloseable {
    static final long FINISH_GRACE_SECONDS = 600;
    static final long SAMPLE_MILLIS = 20;
    static final long KILL_AFTER_CANCEL_SECONDS = 10;
    /** The pump's hand-off buffers of {@link TransferSettings#bufferBytes()} each (measured in docs/benchmarks.md). */
    private static final int PUMP_BUFFERS = 4;

    /** {@code ends}: the pump's named pipes (null for a kernel pipeline); {@code meter}: pv (or null). */
    record Streams(Process send, Process mbuffer, Process receive, PumpEnds ends,
                   StreamCapture sendErr, StreamCapture mbufferErr, StreamCapture receiveErr,
                   Process meter, PvMeter.Reading meterErr) {
        Streams(Process send, Process mbuffer, Process receive, PumpEnds ends, StreamCapture sendErr,
                StreamCapture mbufferErr, StreamCapture receiveErr) {
            this(send, mbuffer, receive, ends, sendErr, mbufferErr, receiveErr, null, null);
        }
    }

    private final TargetTransport transport;
    private final boolean withMbuffer;
    private final boolean piped;
    private final boolean metered;
    private final long bandwidthLimit;
    private final int bufferBytes;
    private final TransferMonitor monitor;
    private final SendProgress progress;
    private final List<Process> processes = new ArrayList<>();
    private volatile Process receive;
    private volatile Process send;
    private volatile String cancelled;
    private volatile boolean ended;

    TransferPipeline(TargetTransport transport, boolean mbufferInstalled, TransferRun.Shape shape, long bandwidthLimit,
                     int bufferBytes, TransferMonitor monitor, SendProgress progress) {
        this.transport = transport;
        this.withMbuffer = transport.target().mbuffer() && mbufferInstalled;
        this.piped = shape != TransferRun.Shape.PUMP;
        this.metered = shape == TransferRun.Shape.PV_PIPE;
        this.bandwidthLimit = bandwidthLimit;
        this.bufferBytes = bufferBytes;
        this.monitor = monitor;
        this.progress = progress;
    }

    /** Whether {@code zfs send} runs (false before it started and after it ended). */
    boolean sendAlive() {
        Process send = this.send;
        return send != null && send.isAlive();
    }

    /** Reads the piped send's written bytes now (no-op for the pump, which counts itself). */
    void sample() {
        Process send = this.send;
        if (!piped || metered || send == null) {
            return; // the pump and pv count as the bytes pass
        }
        progress.written(send.pid()).ifPresent(monitor::counted);
    }

    /**
     * Stops the transfer. The sender is killed and the receiver's input closes (the pipe's last writer is gone,
     * or the pump closes it), so {@code zfs receive} sees a truncated stream and discards it itself (a SIGKILLed
     * receive client leaves zfs-fuse's daemon cleaning up for a moment after it is gone); whatever still runs
     * {@value #KILL_AFTER_CANCEL_SECONDS} s later is killed.
     */
    void cancel(String why) {
        synchronized (this) {
            if (cancelled == null) {
                cancelled = why;
            }
            processes.stream().filter(p -> p != receive).forEach(TransferPipeline::kill);
        }
        CompletableFuture.delayedExecutor(KILL_AFTER_CANCEL_SECONDS, TimeUnit.SECONDS).execute(() -> {
            if (!ended) {
                killAll();
            }
        });
    }

    /** Why it was cancelled; null if it was not. */
    String cancelReason() {
        return cancelled;
    }

    /** Starts the processes; {@link UncheckedIOException} when one cannot be started (none is left running). */
    Streams start(List<String> sendArgv, List<String> receiveArgv) {
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

    /**
     * Moves the stream to its end: the pump copies it, or the pipeline is awaited while the send's bytes are
     * sampled. Null when it reached its end, else what broke it.
     */
    String flow(Streams s) {
        return piped ? awaitPipe(s) : pump(s);
    }

    private List<String> mbufferArgv() {
        return List.of("mbuffer", "-q", "-s", "128k", "-m", transport.target().mbufferMemory());
    }

    /** send [→ mbuffer] [→ pv] → receive, joined by the kernel; the JVM holds none of the stream's pipes. */
    private Streams startPipeline(List<String> sendArgv, List<String> receiveArgv) throws IOException {
        List<ProcessBuilder> builders = new ArrayList<>();
        builders.add(builder(sendArgv));
        if (withMbuffer) {
            builders.add(builder(mbufferArgv()));
        }
        if (metered) {
            builders.add(builder(PvMeter.argv(bandwidthLimit)));
        }
        builders.add(builder(receiveArgv));
        List<Process> pipeline = ProcessBuilder.startPipeline(builders);
        Process send = pipeline.get(0);
        Process receive = pipeline.get(pipeline.size() - 1);
        Process mbuffer = withMbuffer ? pipeline.get(1) : null;
        Process meter = metered ? pipeline.get(pipeline.size() - 2) : null;
        this.receive = receive; // before register: a cancel meanwhile must spare the receiver
        this.send = send;
        monitor.sendStarted();
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
                meter == null ? null : PvMeter.read(meter.getErrorStream(), monitor::counted));
    }

    /** send [→ mbuffer] → the pump's named pipe; the receiver reads the other one. */
    private Streams startPumped(List<String> sendArgv, List<String> receiveArgv, PumpEnds ends) throws IOException {
        Process send;
        Process mbuffer = null;
        StreamCapture mbufferErr = null;
        if (withMbuffer) {
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
        monitor.sendStarted();
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
        processes.forEach(TransferPipeline::kill);
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Copies the stream; returns null when it reached its end, else what broke it. */
    private String pump(Streams s) {
        TokenBucket bucket = bandwidthLimit > 0 ? new TokenBucket(bandwidthLimit, monitor::nanoTime) : null;
        StreamPump pump = new StreamPump(PUMP_BUFFERS, bufferBytes, bucket, LockSupport::parkNanos,
                () -> cancelled != null, monitor::added);
        monitor.streaming(true);
        try (PumpEnds ends = s.ends()) {
            return pump.copy(ends.in(), ends.out(), () -> killQuietlyTheSender(s));
        } finally {
            monitor.streaming(false);
        }
    }

    /**
     * Waits for the piped {@code zfs send} to end, sampling its written bytes; returns null when it
     * ended by itself, else what broke the pipeline.
     */
    private String awaitPipe(Streams s) {
        monitor.streaming(true);
        try {
            while (!s.send().waitFor(SAMPLE_MILLIS, TimeUnit.MILLISECONDS)) {
                sample();
                if (!s.receive().isAlive() && !s.send().waitFor(1, TimeUnit.SECONDS)) {
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
            monitor.streaming(false);
        }
    }

    /** The receiver is gone: the sender would block on a pipe nobody reads. */
    private void killQuietlyTheSender(Streams s) {
        kill(s.send());
        if (s.mbuffer() != null) {
            kill(s.mbuffer());
        }
        if (s.meter() != null) {
            kill(s.meter());
        }
    }

    /** {@code p}'s exit value; -1 (and the transfer cancelled) when it does not exit within the grace time. */
    int waitFor(Process p) {
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

    /** Nothing of a finished transfer may linger. */
    @Override
    public void close() {
        ended = true;
        killAll();
    }
}
