package io.zsentinel.deploy.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Copies the sender's stream to the receiver with two threads handing off a fixed set of buffers: a
 * reader fills one while the calling thread writes another, so {@code zfs send} never waits for the
 * write to {@code zfs receive} (on 2 cores the single-threaded pump made each side wait for the other).
 * Memory is bounded: {@code buffers × bufferBytes} of direct buffers, allocated once (a direct buffer
 * reads and writes a {@link java.nio.channels.FileChannel} without a copy in the JVM). Bytes count, and
 * the bandwidth limit applies, where they are written to the receiver.
 */
final class StreamPump {
    private static final long READER_EXIT_SECONDS = 10;

    /** A filled buffer (flipped), the end of the stream ({@code data == null}), or why reading broke. */
    private record Chunk(ByteBuffer data, String failure) {
        static final Chunk END = new Chunk(null, null);
    }

    private final BlockingQueue<ByteBuffer> free;
    private final BlockingQueue<Chunk> filled;
    private final TokenBucket bucket;
    private final LongConsumer pause;
    private final BooleanSupplier cancelled;
    private final LongConsumer moved;
    private volatile boolean stopped;

    /**
     * @param bucket    the bandwidth limit, or null
     * @param pause     waits the nanoseconds the bucket asks for ({@link LockSupport#parkNanos(long)})
     * @param cancelled read before every write: true stops the copy (the caller has killed the sender)
     * @param moved     told every write's size once it reached the receiver
     */
    StreamPump(int buffers, int bufferBytes, TokenBucket bucket, LongConsumer pause, BooleanSupplier cancelled,
               LongConsumer moved) {
        if (buffers < 2) {
            throw new IllegalArgumentException("a hand-off needs at least 2 buffers, not " + buffers);
        }
        int size = bucket == null ? bufferBytes : bucket.chunkLimit(bufferBytes);
        this.free = new ArrayBlockingQueue<>(buffers);
        this.filled = new ArrayBlockingQueue<>(buffers + 1); // + the end or the failure
        for (int i = 0; i < buffers; i++) {
            free.add(ByteBuffer.allocateDirect(size));
        }
        this.bucket = bucket;
        this.pause = pause;
        this.cancelled = cancelled;
        this.moved = moved;
    }

    /**
     * Copies until the end of {@code in}, a cancel or a failure; returns null for the end or a cancel, else
     * what broke (a read or a write). On a write failure {@code stopSender} runs, so that the reader's
     * blocked read ends. Closes neither stream; the reader thread has ended when this returns (or is
     * left behind after {@value #READER_EXIT_SECONDS} s on a read nothing ends).
     */
    String copy(ReadableByteChannel in, WritableByteChannel out, Runnable stopSender) {
        Thread reader = new Thread(() -> read(in), "transfer-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            return write(out, stopSender);
        } finally {
            stopped = true;
            reader.interrupt();
            try {
                reader.join(TimeUnit.SECONDS.toMillis(READER_EXIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String write(WritableByteChannel out, Runnable stopSender) {
        try {
            while (true) {
                Chunk chunk = filled.take();
                if (chunk.failure() != null) {
                    return chunk.failure();
                }
                if (chunk.data() == null || cancelled.getAsBoolean()) {
                    return null;
                }
                ByteBuffer data = chunk.data();
                int length = data.remaining();
                if (bucket != null) {
                    long wait = bucket.reserve(length);
                    if (wait > 0) {
                        pause.accept(wait); // a cancel kills the sender; the next chunk is then the end
                    }
                }
                while (data.hasRemaining()) {
                    out.write(data);
                }
                moved.accept(length);
                data.clear();
                free.add(data);
            }
        } catch (IOException e) {
            stopSender.run();
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopSender.run();
            return "interrupted";
        }
    }

    /** Hands on what one read brings (a pipe gives what it holds), so a slow stream is counted at once. */
    private void read(ReadableByteChannel in) {
        try {
            while (!stopped) {
                ByteBuffer buffer = free.take();
                if (in.read(buffer) < 0) {
                    filled.put(Chunk.END);
                    return;
                }
                filled.put(new Chunk(buffer.flip(), null));
            }
        } catch (InterruptedException | ClosedByInterruptException e) {
            // the writer stopped (end, cancel or failure): nothing more is wanted
        } catch (IOException e) {
            filled.offer(new Chunk(null, "reading the stream: " + e.getMessage()));
        }
    }
}
