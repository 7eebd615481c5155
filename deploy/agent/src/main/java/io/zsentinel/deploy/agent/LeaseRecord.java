package io.zsentinel.deploy.agent;

import io.zsentinel.core.values.ServerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;

/**
 * When this agent's {@link PrimaryLease} was last renewed, kept in its state directory so that a restarted agent knows
 * whether its lease ran out while it was down (a crash, a power cut, a stop longer than the lease): the controller
 * may then have promoted another server, so the agent stands its primaries down before anything else and lets the
 * controller resume them. Written by the heartbeat thread after a renewal (a temporary file renamed over the old one,
 * not forced: a value lost in a power cut is an older one, which only makes the agent more careful). No file, or one
 * that cannot be read, says nothing: the lease then counts from the start, as without a state directory.
 */
final class LeaseRecord {
    private static final Logger log = LoggerFactory.getLogger(LeaseRecord.class);

    private final Path file; // null: nothing kept
    private Instant written;
    private Instant warned;

    private LeaseRecord(Path file) {
        this.file = file;
    }

    static LeaseRecord none() {
        return new LeaseRecord(null);
    }

    /** In {@code directory} (created if missing), one file per cell and server, beside the controller epoch. */
    static LeaseRecord in(Path directory, String cell, ServerId server) {
        return new LeaseRecord(directory.resolve("lease-renewed-" + (cell.isEmpty() ? "" : cell + "-") + server.value()));
    }

    /** The renewal recorded by an earlier run, if any. */
    Optional<Instant> lastRenewal() {
        if (file == null || !Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(Files.readString(file, StandardCharsets.UTF_8).strip()));
        } catch (IOException | DateTimeException e) {
            log.warn("cannot read the last lease renewal in {} ({}); the lease counts from this start", file,
                    e.toString());
            return Optional.empty();
        }
    }

    /** Records {@code renewedAt} when it is newer than what this run wrote last; a failure is logged, never thrown. */
    synchronized void record(Instant renewedAt) {
        if (file == null || (written != null && !renewedAt.isAfter(written))) {
            return;
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(temporary, renewedAt + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            written = renewedAt;
        } catch (IOException e) {
            if (warned == null || renewedAt.isAfter(warned.plusSeconds(60))) {
                log.warn("cannot record the lease renewal in {}: {}", file, e.toString());
                warned = renewedAt; // logged at most once a minute
            }
        }
    }
}
