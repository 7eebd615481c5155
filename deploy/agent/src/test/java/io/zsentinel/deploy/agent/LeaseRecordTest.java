package io.zsentinel.deploy.agent;

import io.zsentinel.core.values.ServerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LeaseRecordTest {
    static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");
    static final ServerId SERVER = ServerId.of("primary");

    @TempDir
    Path dir;

    @Test
    void aRenewalIsReadBackByTheNextRunAndOnlyANewerOneIsWritten() {
        LeaseRecord first = LeaseRecord.in(dir, "cell", SERVER);
        assertEquals(Optional.empty(), first.lastRenewal(), "nothing recorded yet");
        first.record(T0);
        first.record(T0.minusSeconds(5)); // an older renewal never replaces a newer one
        assertEquals(Optional.of(T0), LeaseRecord.in(dir, "cell", SERVER).lastRenewal());
        first.record(T0.plusSeconds(1));
        assertEquals(Optional.of(T0.plusSeconds(1)), LeaseRecord.in(dir, "cell", SERVER).lastRenewal());
        assertEquals(Optional.empty(), LeaseRecord.in(dir, "", SERVER).lastRenewal(), "one file per cell");
    }

    @Test
    void theLeaseCountsFromTheLastRenewalOfAnEarlierRunElseFromThisStart() throws Exception {
        Instant now = T0.plusSeconds(60);
        assertEquals(now, Agent.leaseStart(LeaseRecord.none(), now), "no state directory");
        LeaseRecord record = LeaseRecord.in(dir, "cell", SERVER);
        assertEquals(now, Agent.leaseStart(record, now), "no file yet");
        record.record(T0);
        assertEquals(T0, Agent.leaseStart(record, now), "down for a minute: a 10 s lease has run out at start");
        assertEquals(T0.minusSeconds(1), Agent.leaseStart(record, T0.minusSeconds(1)), "a renewal after now (a clock"
                + " step back) is not believed");
        Files.writeString(dir.resolve("lease-renewed-cell-primary"), "not a time\n");
        assertEquals(now, Agent.leaseStart(record, now), "an unreadable file says nothing");
    }

    @Test
    void anUnwritableDirectoryIsLoggedNotThrown() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "");
        LeaseRecord record = LeaseRecord.in(file, "cell", SERVER); // its directory is a file
        record.record(T0);
        assertEquals(Optional.empty(), record.lastRenewal());
    }
}
