package io.zsentinel.deploy.transfer;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a process's written bytes from /proc/&lt;pid&gt;/io, the progress of a piped transfer. */
class SendProgressTest {
    @Test
    void theWcharOfAProcessWritingIntoAPipeCountsWhatItWrote() throws Exception {
        SendProgress progress = SendProgress.counting();
        // dd writes 64 × 64 KiB into a pipe; it blocks while the pipe (64 KiB) is full and nobody reads
        Process dd = new ProcessBuilder(List.of("dd", "if=/dev/zero", "bs=65536", "count=64", "status=none")).start();
        try (InputStream in = dd.getInputStream()) {
            byte[] buffer = new byte[1 << 20];
            int read = in.readNBytes(buffer, 0, buffer.length);
            assertEquals(1 << 20, read);
            OptionalLong written = progress.written(dd.pid());
            assertTrue(written.isPresent(), "/proc/<pid>/io readable");
            assertTrue(written.getAsLong() >= 1 << 20, "at least what was read: " + written);
            assertTrue(written.getAsLong() <= (1 << 20) + (256 << 10), "at most a pipe and a block more: " + written);
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertEquals(0, dd.waitFor());
        assertTrue(progress.written(dd.pid()).isEmpty(), "a reaped process has no /proc entry");
    }

    @Test
    void unknownProgressReadsNothing() {
        SendProgress unknown = SendProgress.unknown("test");
        assertTrue(unknown.written(ProcessHandle.current().pid()).isEmpty());
        assertTrue(SendProgress.written(java.nio.file.Path.of("/nonexistent/io")).isEmpty());
    }
}
