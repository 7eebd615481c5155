package io.zsentinel.deploy.transfer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * {@code pv} as the meter of a kernel pipeline: {@code zfs send} [→ mbuffer] → pv → {@code zfs receive}.
 * pv moves the bytes with splice(2), so the stream never enters this JVM and runs at the speed of the
 * raw pipe (docs/benchmarks.md), while it prints the bytes so far ({@code -n -b}) every half second and at
 * the end, and holds a bandwidth limit ({@code -L}). Killing it ends the stream for both sides, which a
 * plain pipe on zfs-fuse cannot (the daemon holds both of its ends).
 */
final class PvMeter {
    static final String INTERVAL_SECONDS = "0.5";
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "transfer-pv");
        t.setDaemon(true);
        return t;
    });

    private PvMeter() {
    }

    /** {@code pv -q}-free numeric byte counts on stderr; {@code -L} when {@code limit} > 0 (bytes per second). */
    static List<String> argv(long limit) {
        List<String> argv = new ArrayList<>(List.of("pv", "-n", "-b", "-i", INTERVAL_SECONDS));
        if (limit > 0) {
            argv.addAll(List.of("-L", Long.toString(limit)));
        }
        return List.copyOf(argv);
    }

    /** pv's stderr as it is read: the numbers went to the counter, the rest is {@link #said()}. */
    static final class Reading {
        private final StringBuilder other = new StringBuilder();
        private final CountDownLatch ended = new CountDownLatch(1);

        /** What pv said besides numbers (its complaints), for the failure reason. */
        String said() {
            synchronized (other) {
                return other.toString().strip();
            }
        }

        /** Waits until pv's last line was counted (pv prints the total as it exits). */
        void awaitEnd(Duration timeout) {
            try {
                ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Reads pv's stderr on its own thread: every number goes to {@code bytes}, anything else (pv's own
     * complaints) is kept for the failure reason.
     */
    static Reading read(InputStream stderr, LongConsumer bytes) {
        Reading reading = new Reading();
        StringBuilder other = reading.other;
        READERS.execute(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    String value = line.strip();
                    if (value.matches("\\d{1,19}")) {
                        bytes.accept(Long.parseLong(value));
                    } else if (!value.isEmpty()) {
                        synchronized (other) {
                            if (other.length() < 4096) {
                                other.append(value).append(' ');
                            }
                        }
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // pv was killed (cancel) or printed an absurd number: the counts so far stand
            } finally {
                reading.ended.countDown();
            }
        });
        return reading;
    }
}
