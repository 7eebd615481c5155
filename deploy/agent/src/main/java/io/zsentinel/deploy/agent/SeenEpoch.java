package io.zsentinel.deploy.agent;

import io.zsentinel.core.values.ServerId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The highest controller epoch this agent has seen. Kept in a file of the agent's state directory when it has one, so
 * that a restarted agent still refuses a deposed controller's commands: the new epoch is written (to a temporary file,
 * forced to disk, renamed over the old) before the command that carried it is acted on.
 */
public final class SeenEpoch {
    private final Path file; // null: in memory only
    private long highest;

    private SeenEpoch(Path file, long highest) {
        this.file = file;
        this.highest = highest;
    }

    /** Forgotten when the agent stops (no state directory configured). */
    public static SeenEpoch inMemory() {
        return new SeenEpoch(null, 0);
    }

    /**
     * Kept in {@code directory} (created if missing), one file per cell and server; the epoch written there before
     * is read back. An unreadable file stops the agent rather than let it forget which controller is current.
     */
    public static SeenEpoch persistedIn(Path directory, String cell, ServerId server) {
        Path file = directory.resolve("controller-epoch-" + (cell.isEmpty() ? "" : cell + "-") + server.value());
        try {
            Files.createDirectories(directory);
            if (!Files.exists(file)) {
                return new SeenEpoch(file, 0);
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            try {
                return new SeenEpoch(file, Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(file + " does not hold a controller epoch (\"" + text + "\"); write the"
                        + " epoch shown by the active controller's /health into it, or remove it if no controller"
                        + " was ever deposed", e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the controller epoch in " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized long highest() {
        return highest;
    }

    /**
     * Records {@code epoch} if it is the highest yet (durably, before returning) and returns the highest seen;
     * throws {@link UncheckedIOException} when it could not be written, and then nothing is recorded.
     */
    public synchronized long observe(long epoch) {
        if (epoch <= highest) {
            return highest;
        }
        if (file != null) {
            write(epoch);
        }
        highest = epoch;
        return highest;
    }

    private void write(long epoch) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap((epoch + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                directory.force(true); // the rename itself survives a power cut
            } catch (IOException e) {
                // some file systems cannot sync a directory; the rename is still atomic
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record controller epoch " + epoch + " in " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
