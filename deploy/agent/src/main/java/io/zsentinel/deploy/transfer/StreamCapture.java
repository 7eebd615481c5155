package io.zsentinel.deploy.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Drains a process's stderr (or unused stdout) on its own thread so the child never blocks on a full
 * pipe; keeps the first 16 KiB, which is where zfs and ssh put the reason.
 */
final class StreamCapture {
    private static final int KEEP = 16 * 1024;
    private static final ExecutorService DRAINERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "transfer-stderr");
        t.setDaemon(true);
        return t;
    });

    private final StringBuilder kept = new StringBuilder();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean done;

    private StreamCapture() {
    }

    static StreamCapture of(InputStream in) {
        StreamCapture capture = new StreamCapture();
        DRAINERS.execute(() -> capture.drain(in));
        return capture;
    }

    private void drain(InputStream in) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (kept) {
                    if (kept.length() < KEEP) {
                        kept.append(new String(buffer, 0, Math.min(n, KEEP - kept.length()), StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException e) {
            // the process was killed: what it said so far is what there is
        } finally {
            done = true;
            ended.countDown();
        }
    }

    String text() {
        synchronized (kept) {
            return kept.toString();
        }
    }

    /**
     * What the process said, once its stream has ended (its exit does not mean this thread has read it all yet),
     * waiting at most {@code wait}: a descendant may keep the stream open.
     */
    String textAtEnd(Duration wait) {
        try {
            ended.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return text();
    }

    boolean done() {
        return done;
    }
}
