package io.zsentinel.core.zfs;

import io.zsentinel.core.values.PoolHealth;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolStatusParserTest {

    private static PoolStatus parse(String captured) {
        return PoolStatusParser.parse(Captured.read(captured));
    }

    @Test
    void zfsFuseOnlineSinglePoolWithNoScrub() {
        PoolStatus s = parse("zfs-fuse/zpool-status-online-single.txt");
        assertEquals("ztcapx", s.pool().value());
        assertEquals(PoolHealth.ONLINE, s.state());
        assertTrue(s.status().isEmpty());
        assertEquals(ScanStatus.Activity.NONE, s.scan().activity());
        assertEquals(2, s.vdevs().size());
        VdevEntry file = s.vdevs().get(1);
        assertEquals("/tmp/ztcap.RaTA/a.img", file.name());
        assertEquals(1, file.depth());
        assertEquals(0, s.vdevs().get(0).depth());
        assertTrue(s.noKnownDataErrors());
    }

    @Test
    void zfsFuseCompletedScrubUsesTheScrubKey() {
        ScanStatus scan = parse("zfs-fuse/zpool-status-online-scrub-completed.txt").scan();
        assertEquals(ScanStatus.Activity.SCRUB, scan.activity());
        assertEquals(ScanStatus.Progress.FINISHED, scan.progress());
        assertEquals(0, scan.errors().orElseThrow());
        assertTrue(scan.repairedBytes().isEmpty());
    }

    @Test
    void zfsFuseDegradedMirrorWithUnavailFile() {
        PoolStatus s = parse("zfs-fuse/zpool-status-mirror-degraded-unavail.txt");
        assertEquals(PoolHealth.DEGRADED, s.state());
        assertTrue(s.status().orElseThrow().startsWith("One or more devices could not be used"));
        assertTrue(s.status().orElseThrow().endsWith("functioning in a degraded state."));
        assertEquals("Replace the device using 'zpool replace'.", s.action().orElseThrow());
        VdevEntry gone = s.vdev("/tmp/ztcap.RaTA/c.img").orElseThrow();
        assertEquals(PoolHealth.UNAVAIL, gone.state());
        assertEquals(2, gone.depth());
        assertEquals("experienced I/O failures", gone.note());
        assertEquals(PoolHealth.DEGRADED, s.vdev("mirror-0").orElseThrow().state());
    }

    @Test
    void openzfsHealthyMirrorAfterScrub() {
        PoolStatus s = parse("openzfs/zpool-status-healthy-scrubbed.txt");
        assertEquals(PoolHealth.ONLINE, s.state());
        assertEquals(ScanStatus.Progress.FINISHED, s.scan().progress());
        assertEquals(0, s.scan().repairedBytes().orElseThrow());
        assertEquals(0, s.scan().errors().orElseThrow());
        assertEquals(List.of(0, 1, 2, 2), s.vdevs().stream().map(VdevEntry::depth).toList());
        assertTrue(s.vdevs().stream().allMatch(v -> v.state() == PoolHealth.ONLINE));
    }

    @Test
    void openzfsDegradedRaidzWithSectionsAndSpare() {
        PoolStatus s = parse("openzfs/zpool-status-raidz-degraded-unavail.txt");
        assertEquals(PoolHealth.DEGRADED, s.state());
        assertEquals(1572864, s.scan().repairedBytes().orElseThrow());
        VdevEntry missing = s.vdev("11838783286125442418").orElseThrow();
        assertEquals(PoolHealth.UNAVAIL, missing.state());
        assertEquals("was /dev/sdc1", missing.note());
        assertEquals(2, s.vdev("sdb").orElseThrow().checksumErrors());
        assertEquals("logs", s.vdev("nvme0n1p1").orElseThrow().section());
        assertEquals(1, s.vdev("nvme0n1p1").orElseThrow().depth());
        assertEquals("cache", s.vdev("nvme0n1p2").orElseThrow().section());
        VdevEntry spare = s.vdev("sde").orElseThrow();
        assertEquals("spares", spare.section());
        assertEquals("AVAIL", spare.rawState());
        assertEquals(PoolHealth.UNKNOWN, spare.state());
        assertFalse(s.vdev("logs").isPresent());
        assertEquals("data", s.vdev("sda").orElseThrow().section());
    }

    @Test
    void openzfsDegradedMirrorWithErrorCounters() {
        PoolStatus s = parse("openzfs/zpool-status-mirror-degraded-unavail.txt");
        VdevEntry bad = s.vdev("scsi-35000c500a1b2c3d5").orElseThrow();
        assertEquals(PoolHealth.UNAVAIL, bad.state());
        assertEquals(3, bad.readErrors());
        assertEquals(118, bad.writeErrors());
        assertEquals("cannot open", bad.note());
        assertEquals(ScanStatus.Activity.NONE, s.scan().activity());
        assertTrue(s.action().orElseThrow().contains("zpool online"));
    }

    @Test
    void openzfsResilverInProgress() {
        PoolStatus s = parse("openzfs/zpool-status-resilver-in-progress.txt");
        ScanStatus scan = s.scan();
        assertEquals(ScanStatus.Activity.RESILVER, scan.activity());
        assertTrue(scan.inProgress());
        assertTrue(scan.text().contains("29.28% done"));
        assertEquals(3, s.vdev("sda/old").orElseThrow().depth());
        assertEquals("(resilvering)", s.vdev("sda").orElseThrow().note());
    }

    @Test
    void openzfsScrubInProgress() {
        ScanStatus scan = parse("openzfs/zpool-status-scrub-in-progress.txt").scan();
        assertEquals(ScanStatus.Activity.SCRUB, scan.activity());
        assertEquals(ScanStatus.Progress.IN_PROGRESS, scan.progress());
        assertTrue(scan.errors().isEmpty());
    }

    @Test
    void openzfsPermanentErrorsListTheFiles() {
        PoolStatus s = parse("openzfs/zpool-status-permanent-errors.txt");
        assertFalse(s.noKnownDataErrors());
        assertTrue(s.errors().startsWith("Permanent errors"));
        assertEquals(List.of("/tank/data/file1.bin", "tank/vm1@daily-2024-03-09:/disk.img"), s.errorFiles());
        assertEquals(2, s.scan().errors().orElseThrow());
        assertEquals(1260, s.vdev("sda").orElseThrow().checksumErrors());
    }

    @Test
    void noPoolLineIsAFormatError() {
        assertThrows(ZfsOutputFormatException.class, () -> PoolStatusParser.parse("no pools available\n"));
    }
}
