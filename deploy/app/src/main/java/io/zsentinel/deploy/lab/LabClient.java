package io.zsentinel.deploy.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The lab's demo client ({@code zsentinel lab client}): what a VM writing to its storage sees. Every tick it
 * appends one numbered, timestamped record to {@value #RECORDS} in the served dataset, wherever the service's
 * endpoint file ({@code DIR/service/SERVICE.endpoint}: "SERVER DIRECTORY", rewritten by the promote hook on a
 * switch) says it is served now, and syncs it to disk before counting it written. It prints each gap in service
 * (from the last write that succeeded to the next) and, whenever the service moved to another server, the records
 * it had written that the new server's copy lacks — only those written after the last replicated snapshot may be.
 * Not thread-safe: one thread ticks.
 */
public final class LabClient {
    static final String RECORDS = "zsentinel-lab-client.log";

    /** Where the service is served: the server and the served dataset's directory. */
    record Endpoint(String server, Path directory) {
        static Optional<Endpoint> read(Path file) {
            try {
                String[] words = Files.readString(file, StandardCharsets.UTF_8).strip().split("\\s+", 2);
                return words.length == 2 ? Optional.of(new Endpoint(words[0], Path.of(words[1]))) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /** What a run saw: records written, the longest gap, the records a switch lost. */
    public record Summary(long written, Duration longestGap, int gaps, Map<Long, Instant> missing) {
    }

    private final Path endpointFile;
    private final Clock clock;
    private final PrintStream out;
    private final TreeMap<Long, Instant> written = new TreeMap<>();
    private final TreeMap<Long, Instant> missing = new TreeMap<>();
    private long next = 1;
    private Endpoint servedBy;
    private Instant lastWriteAt;
    private Instant gapFrom;
    private String gapReason;
    private Duration longestGap = Duration.ZERO;
    private int gaps;

    public LabClient(Path endpointFile, Clock clock, PrintStream out) {
        this.endpointFile = endpointFile;
        this.clock = clock;
        this.out = out;
    }

    /** One write: the next record to wherever the service is now. */
    public void tick() {
        Instant now = clock.instant();
        Optional<Endpoint> endpoint = Endpoint.read(endpointFile);
        if (endpoint.isEmpty()) {
            unavailable(now, "no endpoint in " + endpointFile);
            return;
        }
        Endpoint at = endpoint.get();
        if (Files.exists(Lab.downMarker(endpointFile.getParent().getParent(), at.server()))) {
            unavailable(now, at.server() + " is down");
            return;
        }
        if (servedBy != null && !servedBy.equals(at)) {
            out.println(now + " the service moved from " + servedBy.server() + " to " + at.server());
            checkRecordsOn(at);
        }
        servedBy = at;
        long seq = next;
        String line = seq + " " + now + " " + at.server() + "\n";
        try (FileChannel file = FileChannel.open(at.directory().resolve(RECORDS), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            file.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            file.force(true);
        } catch (IOException e) {
            unavailable(now, at.server() + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
            return;
        }
        next++;
        written.put(seq, now);
        if (gapFrom != null) {
            Duration gap = Duration.between(gapFrom, now);
            gaps++;
            if (gap.compareTo(longestGap) > 0) {
                longestGap = gap;
            }
            out.printf("%s service back on %s after a gap of %.1f s (%s)%n", now, at.server(), gap.toMillis() / 1000.0,
                    gapReason);
            gapFrom = null;
        }
        lastWriteAt = now;
    }

    private void unavailable(Instant now, String reason) {
        if (gapFrom == null) {
            gapFrom = lastWriteAt == null ? now : lastWriteAt;
            gapReason = reason;
            out.println(now + " service unavailable: " + reason);
        }
    }

    /** The records written so far that the copy on {@code at} lacks (a switch lost them), printed once each. */
    private void checkRecordsOn(Endpoint at) {
        Set<Long> there = new HashSet<>();
        try {
            for (String line : Files.readAllLines(at.directory().resolve(RECORDS), StandardCharsets.UTF_8)) {
                String[] words = line.split(" ", 2);
                if (words[0].matches("[0-9]{1,18}")) {
                    there.add(Long.parseLong(words[0]));
                }
            }
        } catch (NoSuchFileException e) {
            // nothing of ours replicated there yet: every record is missing
        } catch (IOException e) {
            out.println("cannot read " + at.directory().resolve(RECORDS) + ": " + e.getMessage());
            return;
        }
        TreeMap<Long, Instant> lost = new TreeMap<>();
        written.forEach((seq, at2) -> {
            if (!there.contains(seq) && !missing.containsKey(seq)) {
                lost.put(seq, at2);
            }
        });
        if (!lost.isEmpty()) {
            missing.putAll(lost);
            out.printf("%d record(s) written before the move are missing on %s: %d..%d, written %s..%s%n", lost.size(),
                    at.server(), lost.firstKey(), lost.lastKey(), lost.firstEntry().getValue(), lost.lastEntry().getValue());
        } else {
            out.println("every record written so far is on " + at.server());
        }
    }

    public Summary summary() {
        return new Summary(written.size(), longestGap, gaps, Map.copyOf(missing));
    }

    /** The summary as the command line prints it at the end. */
    public List<String> report() {
        Summary s = summary();
        return List.of(s.written() + " record(s) written, " + s.gaps() + " gap(s) in service, the longest "
                        + String.format("%.1f s", s.longestGap().toMillis() / 1000.0),
                s.missing().isEmpty() ? "no record lost" : s.missing().size() + " record(s) lost in moves");
    }
}
