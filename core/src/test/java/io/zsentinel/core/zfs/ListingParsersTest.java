package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.SnapshotName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListingParsersTest {

    @Test
    void openzfsSnapshotListCarriesExactNumbersAndUnsignedGuids() {
        List<SnapshotEntry> s = SnapshotListParser.parseList(Captured.read("openzfs/list-snapshots-p.txt"));
        assertEquals(4, s.size());
        SnapshotEntry first = s.get(0);
        assertEquals(SnapshotName.parse("tank/vm1@auto-2024-03-10_00.00"), first.name());
        assertEquals(Guid.parse("9437263485901328172"), first.guid());
        assertEquals(1402311, first.createtxg());
        assertEquals(Instant.parse("2024-03-10T00:00:00Z"), first.creation());
        assertEquals(1363148, first.used());
        assertEquals(21474836480L, first.referenced());
        assertEquals(2, first.userRefs(), "userrefs: the number of holds");
        assertTrue(first.held());
        assertEquals(0, s.get(1).userRefs());
        SnapshotEntry spaced = s.get(3);
        assertEquals("before upgrade", spaced.name().shortName());
        assertEquals("18446744073709551615", spaced.guid().decimal());
    }

    @Test
    void zfsFusePropertyTableKeepsOnlySnapshots() {
        List<SnapshotEntry> s = SnapshotListParser.parsePropertyTable(
                Captured.read("zfs-fuse/get-snapshot-props-recursive.txt"));
        assertEquals(5, s.size());
        assertTrue(s.stream().allMatch(e -> e.name().full().contains("@")));
        SnapshotEntry spaced = s.stream().filter(e -> e.name().shortName().equals("with space")).findFirst().orElseThrow();
        assertEquals(DatasetName.of("ztcapx/a/b"), spaced.name().dataset());
        assertEquals(Guid.parse("10705371878374736135"), spaced.guid());
        assertEquals(31, spaced.createtxg());
        assertEquals(114688, spaced.referenced());
        assertEquals(0, spaced.userRefs());
        SnapshotEntry held = s.stream().filter(e -> e.name().full().equals("ztcapx/a@s1")).findFirst().orElseThrow();
        assertEquals(1, held.userRefs());
    }

    @Test
    void listingsWithoutUserrefsReadAsUnheld() {
        // a zfs without holds is asked without the property: 6 columns, or no userrefs row
        assertEquals(0, SnapshotListParser.parseList("tank@a\t1\t5\t1710028800\t0\t0\n").get(0).userRefs());
        assertEquals(0, SnapshotListParser.parsePropertyTable("tank@a\tguid\t1\ntank@a\tcreatetxg\t5\n"
                + "tank@a\tcreation\t1710028800\ntank@a\tused\t0\ntank@a\treferenced\t0\n").get(0).userRefs());
        assertThrows(ZfsOutputFormatException.class,
                () -> SnapshotListParser.parseList("tank@a\t1\t5\t1710028800\t0\t0\tmany\n"));
    }

    @Test
    void oneSnapshotReadBack() {
        List<SnapshotEntry> s = SnapshotListParser.parsePropertyTable(Captured.read("zfs-fuse/get-one-snapshot.txt"));
        assertEquals(1, s.size());
        assertEquals(SnapshotName.parse("ztcapx/a/b@with space"), s.get(0).name());
        assertEquals(0, s.get(0).userRefs());
    }

    @Test
    void truncatedLineIsAFormatError() {
        assertThrows(ZfsOutputFormatException.class, () -> SnapshotListParser.parseList("tank@a\t123\t5\n"));
        assertThrows(ZfsOutputFormatException.class, () -> SnapshotListParser.parseList("tank@a\tx\t5\t1\t0\t0\n"));
    }

    @Test
    void openzfsDatasetList() {
        List<DatasetEntry> d = DatasetListParser.parseList(Captured.read("openzfs/list-datasets-p.txt"), false, false);
        assertEquals(4, d.size());
        assertEquals(new DatasetEntry(DatasetName.of("tank/vm1"), DatasetType.FILESYSTEM, 32212254720L,
                1099511627776L, Optional.of("/tank/vm1")), d.get(0));
        assertEquals(DatasetType.VOLUME, d.get(1).type());
        assertEquals(Optional.empty(), d.get(1).mountpoint());
        assertEquals(Optional.empty(), d.get(2).mountpoint());
        assertEquals(Optional.empty(), d.get(3).mountpoint());
    }

    @Test
    void zfsFuseDatasetPropertyTable() {
        List<DatasetEntry> d = DatasetListParser.parsePropertyTable(Captured.read("zfs-fuse/get-dataset-props-recursive.txt"));
        assertEquals(List.of("ztcapx", "ztcapx/a", "ztcapx/a/b"), d.stream().map(e -> e.name().value()).toList());
        assertEquals(765952, d.get(0).used());
        assertEquals(94654464, d.get(0).available());
        assertEquals(Optional.of("/tmp/ztcap.RaTA/mnt/a"), d.get(1).mountpoint());
    }

    @Test
    void zfsFusePoolListInHumanUnits() {
        List<PoolEntry> p = PoolListParser.parse(Captured.read("zfs-fuse/zpool-list.txt"));
        assertEquals(2, p.size());
        PoolEntry m = p.get(0);
        assertEquals("ztcapm", m.name().value());
        assertEquals(123L << 20, m.size());
        assertEquals(Math.round(6.09 * (1 << 20)), m.allocated());
        assertEquals(4, m.capacityPercent());
        assertEquals(PoolHealth.DEGRADED, m.health());
        assertEquals(Math.round(1.21 * (1 << 20)), p.get(1).allocated());
    }

    @Test
    void openzfsPoolListExact() {
        List<PoolEntry> p = PoolListParser.parse(Captured.read("openzfs/zpool-list-p.txt"));
        assertEquals(3985729650688L, p.get(0).size());
        assertEquals(32, p.get(0).capacityPercent());
        assertEquals(PoolHealth.DEGRADED, p.get(1).health());
        assertEquals(96, p.get(1).capacityPercent());
    }

    @Test
    void faultedPoolWithoutSizes() {
        PoolEntry p = PoolListParser.parse("gone\t-\t-\t-\t-\tFAULTED\n").get(0);
        assertEquals(PoolHealth.FAULTED, p.health());
        assertEquals(0, p.size());
    }

    @Test
    void humanSizes() {
        assertEquals(1536L << 20, HumanSize.bytes("1.5G"));
        assertEquals(0, HumanSize.bytes("0B"));
        assertEquals(0, HumanSize.bytes("0"));
        assertEquals(1260, HumanSize.bytes("1.23K"));
        assertEquals(45, HumanSize.percent("45%"));
        assertEquals(45, HumanSize.percent("45"));
    }

    @Test
    void holdTags() {
        assertEquals(Set.of("zsentinel:base:standby-b", "keep"), HoldsParser.parse(Captured.read("openzfs/holds-H.txt")));
        assertEquals(Set.of(), HoldsParser.parse(""));
    }
}
