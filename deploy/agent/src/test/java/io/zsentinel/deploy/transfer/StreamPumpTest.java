package io.zsentinel.deploy.transfer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pump's reader/writer hand-off between two real processes joined through its named pipes. */
class StreamPumpTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();
    private final AtomicLong moved = new AtomicLong();
    private final List<Long> writes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void whatTheSenderWritesIsWhatTheReceiverGetsAndEveryByteIsCounted() throws Exception {
        byte[] data = random(5 << 20);
        Path source = Files.write(dir.resolve("source.bin"), data);
        Path received = dir.resolve("received.bin");
        try (PumpEnds ends = PumpEnds.create()) {
            Process sender = start(new ProcessBuilder("cat", source.toString()).redirectOutput(ends.senderOutput()));
            Process receiver = start(new ProcessBuilder("cat").redirectInput(ends.receiverInput())
                    .redirectOutput(received.toFile()));
            ends.childrenStarted();

            assertNull(pump(4, 64 << 10, null, w -> { }).copy(ends.in(), ends.out(), sender::destroyForcibly));
            ends.out().close(); // the receiver's end of stream
            assertEquals(0, sender.waitFor());
            assertEquals(0, receiver.waitFor());
        }
        assertArrayEquals(data, Files.readAllBytes(received));
        assertEquals(data.length, moved.get());
    }

    @Test
    void aBandwidthLimitHoldsTheStreamToItsRateInChunksOfAQuarterSecond() throws Exception {
        byte[] data = random(1 << 20);
        Path source = Files.write(dir.resolve("source.bin"), data);
        AtomicLong now = new AtomicLong(); // moves only by the waits the pump asks for
        long rate = 256 << 10;
        TokenBucket bucket = new TokenBucket(rate, now::get);
        try (PumpEnds ends = PumpEnds.create()) {
            Process sender = start(new ProcessBuilder("cat", source.toString()).redirectOutput(ends.senderOutput()));
            start(new ProcessBuilder("cat").redirectInput(ends.receiverInput()).redirectOutput(ProcessBuilder.Redirect.DISCARD));
            ends.childrenStarted();

            assertNull(pump(4, 1 << 20, bucket, now::addAndGet).copy(ends.in(), ends.out(), sender::destroyForcibly));
        }
        assertEquals(data.length, moved.get());
        assertTrue(writes.stream().allMatch(w -> w <= rate / 4), "no write above a quarter second of bytes: " + writes);
        double seconds = now.get() / 1e9;
        assertTrue(data.length / seconds <= rate, "average " + data.length / seconds + " B/s over " + seconds
                + " s (virtual) within " + rate + " B/s");
    }

    @Test
    void aCancelMidStreamStopsTheCopyAndTheReceiverSeesTheEnd() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        try (PumpEnds ends = PumpEnds.create()) {
            Process sender = start(new ProcessBuilder("cat", "/dev/zero").redirectOutput(ends.senderOutput()));
            Process receiver = start(new ProcessBuilder("cat").redirectInput(ends.receiverInput())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD));
            ends.childrenStarted();
            StreamPump pump = new StreamPump(4, 64 << 10, null, w -> { }, cancelled::get, moved::addAndGet);
            CompletableFuture<String> copy = CompletableFuture.supplyAsync(
                    () -> pump.copy(ends.in(), ends.out(), sender::destroyForcibly));

            await().atMost(WAIT).until(() -> moved.get() > (4 << 20));
            cancelled.set(true);
            sender.destroyForcibly(); // what TransferRun.cancel does: the sender dies, the read ends
            assertNull(copy.get(), "a cancel is not a failure of the pump");
            long atCancel = moved.get();
            ends.out().close();
            assertEquals(0, receiver.waitFor(), "the receiver got an end of stream, not a hang");
            assertEquals(atCancel, moved.get(), "nothing moves after the copy returned");
        }
    }

    @Test
    void aReceiverThatGoesAwayFailsTheCopyAndStopsTheSender() throws Exception {
        AtomicBoolean senderStopped = new AtomicBoolean();
        try (PumpEnds ends = PumpEnds.create()) {
            Process sender = start(new ProcessBuilder("cat", "/dev/zero").redirectOutput(ends.senderOutput()));
            Process receiver = start(new ProcessBuilder("head", "-c", "100000").redirectInput(ends.receiverInput())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD));
            ends.childrenStarted();

            String failure = pump(4, 64 << 10, null, w -> { }).copy(ends.in(), ends.out(), () -> {
                senderStopped.set(true);
                sender.destroyForcibly();
            });
            assertNotNull(failure, "a broken pipe to the receiver is a failure");
            assertTrue(failure.toLowerCase().contains("broken pipe"), failure);
            assertTrue(senderStopped.get());
            sender.waitFor();
            assertFalse(sender.isAlive());
            assertEquals(0, receiver.waitFor());
        }
    }

    private StreamPump pump(int buffers, int bytes, TokenBucket bucket, java.util.function.LongConsumer pause) {
        return new StreamPump(buffers, bytes, bucket, pause, () -> false, n -> {
            moved.addAndGet(n);
            writes.add(n);
        });
    }

    private Process start(ProcessBuilder builder) throws IOException {
        Process p = builder.start();
        started.add(p);
        return p;
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new SplittableRandom(7).nextBytes(data);
        return data;
    }
}
