package io.zsentinel.deploy.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Progress of a piped transfer without touching the stream: the {@code wchar} line of
 * {@code /proc/<send pid>/io}, the bytes the {@code zfs send} process has written (into the pipe).
 * Decided once per host ({@link #detect()}): it counts the stream only when /proc/&lt;pid&gt;/io is
 * readable <em>and</em> the send process writes the stream itself, which is the case with zfs in the
 * kernel ({@code /dev/zfs}: the ioctl writes in the caller's context). zfs-fuse's {@code zfs send} hands
 * the pipe to its daemon over {@code /var/run/zfs/zfs_socket} and the daemon writes it: the send
 * process's wchar stays at ~100 KB of socket traffic (measured), so there progress is unknown.
 */
final class SendProgress {
    private static final Path DEV_ZFS = Path.of("/dev/zfs");

    private final boolean counts;
    private final String why;

    private SendProgress(boolean counts, String why) {
        this.counts = counts;
        this.why = why;
    }

    static SendProgress detect() {
        if (written(Path.of("/proc/self/io")).isEmpty()) {
            return new SendProgress(false, "/proc/<pid>/io is not readable here");
        }
        if (!Files.exists(DEV_ZFS)) {
            return new SendProgress(false, "no /dev/zfs (zfs-fuse: its daemon writes the stream, not zfs send)");
        }
        return new SendProgress(true, "wchar of /proc/<send pid>/io");
    }

    static SendProgress counting() {
        return new SendProgress(true, "forced");
    }

    static SendProgress unknown(String why) {
        return new SendProgress(false, why);
    }

    /** Whether {@link #written(long)} counts the stream's bytes. */
    boolean counts() {
        return counts;
    }

    String describe() {
        return why;
    }

    /** Bytes process {@code pid} has written so far; empty when unknown (not counted here, or the process is gone). */
    OptionalLong written(long pid) {
        return counts ? written(Path.of("/proc", Long.toString(pid), "io")) : OptionalLong.empty();
    }

    static OptionalLong written(Path io) {
        try {
            for (String line : Files.readAllLines(io)) {
                if (line.startsWith("wchar:")) {
                    return OptionalLong.of(Long.parseLong(line.substring(6).strip()));
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
