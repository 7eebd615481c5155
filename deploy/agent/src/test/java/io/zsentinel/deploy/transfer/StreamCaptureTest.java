package io.zsentinel.deploy.transfer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A process's exit does not mean its stderr has been read: a failed receive's reason ("destination has been
 * modified") read too early was empty, and the failure was classed retriable instead of diverged.
 */
class StreamCaptureTest {
    private static final String REASON = "cannot receive incremental stream: destination has been modified\n";

    @Test
    void theTextAtTheEndIsAllTheProcessSaidEvenWhenItArrivesAfterTheQuestion() throws Exception {
        CountDownLatch said = new CountDownLatch(1);
        InputStream late = new InputStream() {
            private final InputStream text = new ByteArrayInputStream(REASON.getBytes(StandardCharsets.UTF_8));

            @Override
            public int read() throws IOException {
                try {
                    said.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return text.read();
            }
        };
        StreamCapture capture = StreamCapture.of(late);
        CompletableFuture<String> atEnd = CompletableFuture.supplyAsync(() -> capture.textAtEnd(Duration.ofMinutes(1)));
        assertEquals("", capture.text(), "nothing read yet");
        assertFalse(atEnd.isDone(), "waits for the stream's end");
        said.countDown();
        assertEquals(REASON, atEnd.get(1, TimeUnit.MINUTES));
    }

    @Test
    void aStreamThatStaysOpenIsWaitedForOnlyAsLongAsAsked() {
        InputStream open = new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    new CountDownLatch(1).await(); // a descendant holds the pipe
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return -1;
            }
        };
        assertEquals("", StreamCapture.of(open).textAtEnd(Duration.ofMillis(50)));
    }
}
